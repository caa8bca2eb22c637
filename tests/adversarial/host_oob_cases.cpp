// The out-of-bounds pointer cases (host_oob_cases.h). Memory is one page in
// every module, so each expected error is the exact bounds-check message of
// docs/host-abi.md: "host error: <function>: out of bounds memory range
// [ptr, ptr+len) (memory is 65536 bytes)".
#include "host_oob_cases.h"

#include <cstdint>

namespace ward::adversarial {
namespace {

std::string range_error(const std::string& fn, uint64_t ptr, uint64_t len) {
  return "host error: " + fn + ": out of bounds memory range [" + std::to_string(ptr) + ", " +
         std::to_string(ptr + len) + ") (memory is 65536 bytes)";
}

constexpr uint64_t kMinus1 = 0xffffffffull;  // i32.const -1 as an offset

/// A trapping case: `method` of `wat` gives `param` of `fn` the range [ptr, ptr+len).
OobCase trap(std::string name, std::string wat, std::string method, std::string fn, std::string param,
             uint64_t ptr, uint64_t len) {
  std::string error = range_error(fn, ptr, len);
  return OobCase{std::move(name), std::move(wat), std::move(method), std::move(fn), {std::move(param)}, true,
                 std::move(error)};
}

/// A trapping case of host_oob_model.wat named host_oob_<method>.
OobCase model(std::string method, std::string fn, std::string param, uint64_t ptr, uint64_t len) {
  return trap("host_oob_" + method, "host_oob_model", method, std::move(fn), std::move(param), ptr, len);
}

/// A trapping case of host_oob_wasi.wat named host_oob_<method>.
OobCase wasi(std::string method, std::string fn, std::string param, uint64_t ptr, uint64_t len) {
  return trap("host_oob_" + method, "host_oob_wasi", method, std::move(fn), std::move(param), ptr, len);
}

/// A WASI function that never reads its pointers: export unused_<fn>, ends ok.
OobCase unused(const std::string& fn, std::vector<std::string> params) {
  return OobCase{"host_ptr_unused_" + fn, "host_oob_wasi", "unused_" + fn, fn, std::move(params), false, ""};
}

std::vector<OobCase> make_cases() {
  return {
      // --- ward_v1 (host_oob.wat)
      trap("host_oob_input_read", "host_oob", "input_read", "input_read", "ptr", 65535, 2),
      trap("host_oob_result_write", "host_oob", "result_write", "result_write", "ptr", 65535, 2),
      trap("host_oob_revert", "host_oob", "revert", "revert", "ptr", 65530, 100),
      trap("host_oob_storage_get_key", "host_oob", "storage_get_key", "storage_get", "key_ptr", 65535, 2),
      trap("host_oob_storage_get_value", "host_oob", "storage_get_value", "storage_get", "val_ptr", 65500, 100),
      trap("host_oob_storage_put_key", "host_oob", "storage_put_key", "storage_put", "key_ptr", kMinus1, 2),
      trap("host_oob_storage_put_value", "host_oob", "storage_put_value", "storage_put", "val_ptr", 65535, 100),
      trap("host_oob_storage_delete", "host_oob", "storage_delete", "storage_delete", "key_ptr", 65536, 1),
      trap("host_oob_sender", "host_oob", "sender", "sender", "ptr", 65530, 20),
      trap("host_oob_self_address", "host_oob", "self_address", "self_address", "ptr", kMinus1 - 19, 20),
      trap("host_oob_log_name", "host_oob", "log_name", "log", "name_ptr", 65535, 4),
      trap("host_oob_log_data", "host_oob", "log_data", "log", "data_ptr", 65535, 2),
      trap("host_oob_debug_print", "host_oob", "debug_print", "debug_print", "ptr", 65000, 1000),
      // --- ward_v1, contract model (host_oob_model.wat)
      model("origin", "origin", "ptr", 65530, 20),
      model("method_read", "method_read", "ptr", 65530, 11),
      model("storage_iter_prefix", "storage_iter_prefix", "prefix_ptr", 65535, 2),
      model("storage_iter_range_start", "storage_iter_range", "start_ptr", 65535, 2),
      model("storage_iter_range_end", "storage_iter_range", "end_ptr", 65535, 2),
      model("storage_iter_next", "storage_iter_next", "lens_ptr", 65532, 8),
      model("storage_iter_key", "storage_iter_key", "ptr", 65536, 1),
      model("storage_iter_value", "storage_iter_value", "ptr", 65535, 2),
      model("object_create_owner", "object_create", "owner_ptr", 65530, 20),
      model("object_create_id_out", "object_create", "id_out_ptr", 65530, 32),
      model("object_exists", "object_exists", "id_ptr", 65535, 32),
      model("object_owner_id", "object_owner", "id_ptr", 65535, 32),
      model("object_owner_out", "object_owner", "out_ptr", 65530, 20),
      model("object_by_owner_owner", "object_by_owner", "owner_ptr", 65530, 20),
      model("object_by_owner_id_out", "object_by_owner", "id_out_ptr", 65530, 32),
      model("object_get_field_id", "object_get_field", "id_ptr", 65535, 32),
      model("object_get_field_name", "object_get_field", "name_ptr", 65535, 2),
      model("object_get_field_value", "object_get_field", "val_ptr", 65535, 8),
      model("object_set_field_id", "object_set_field", "id_ptr", 65535, 32),
      model("object_set_field_name", "object_set_field", "name_ptr", 65535, 2),
      model("object_set_field_value", "object_set_field", "val_ptr", 65535, 2),
      model("object_set_owner_id", "object_set_owner", "id_ptr", 65535, 32),
      model("object_set_owner_owner", "object_set_owner", "owner_ptr", 65530, 20),
      model("object_delete", "object_delete", "id_ptr", 65535, 32),
      model("balance", "balance", "addr_ptr", 65530, 20),
      model("transfer", "transfer", "to_ptr", 65530, 20),
      model("call_addr", "call", "addr_ptr", 65530, 20),
      model("call_method", "call", "method_ptr", 65535, 2),
      model("call_args", "call", "args_ptr", 65535, 2),
      // the error text of the failed call: "unknown contract 0x" + 40 hex digits
      model("call_result_read", "call_result_read", "ptr", 65535, 59),
      model("sha256_input", "sha256", "ptr", 65535, 2),
      model("sha256_out", "sha256", "out_ptr", 65535, 32),
      model("keccak256_input", "keccak256", "ptr", 65535, 2),
      model("keccak256_out", "keccak256", "out_ptr", 65535, 32),
      model("ed25519_verify_sig", "ed25519_verify", "sig_ptr", 65500, 64),
      model("ed25519_verify_pk", "ed25519_verify", "pk_ptr", 65510, 32),
      model("ed25519_verify_msg", "ed25519_verify", "msg_ptr", 65535, 2),
      // --- WASI (host_oob.wat, host_oob_wasi.wat)
      trap("host_oob_fd_write", "host_oob", "fd_write", "fd_write", "iovs", 65535, 8),
      wasi("fd_write_nwritten", "fd_write", "nwritten", 65535, 4),
      wasi("fd_write_iovec_buf", "fd_write", "iovs", 65535, 2),  // a buffer the iovec points to
      wasi("fd_read_iovs", "fd_read", "iovs", 65535, 8),
      wasi("fd_read_nread", "fd_read", "nread", 65535, 4),
      wasi("fd_fdstat_get", "fd_fdstat_get", "stat", 65535, 24),
      wasi("fd_filestat_get", "fd_filestat_get", "buf", 65535, 64),
      trap("host_oob_random_get", "host_oob", "random_get", "random_get", "buf", 65530, 64),
      trap("host_oob_clock_time_get", "host_oob", "clock_time_get", "clock_time_get", "time", 65535, 8),
      wasi("clock_res_get", "clock_res_get", "res", 65535, 8),
      wasi("poll_oneoff_subscriptions", "poll_oneoff", "subscriptions", 65535, 48),
      wasi("poll_oneoff_events", "poll_oneoff", "events", 65535, 32),
      wasi("poll_oneoff_nevents", "poll_oneoff", "nevents", 65535, 4),
      trap("host_oob_args_sizes_get", "host_oob", "args_sizes_get", "args_sizes_get", "argc", 65535, 4),
      wasi("args_sizes_get_buf_size", "args_sizes_get", "argv_buf_size", 65535, 4),
      wasi("environ_sizes_get_count", "environ_sizes_get", "count", 65535, 4),
      wasi("environ_sizes_get_buf_size", "environ_sizes_get", "buf_size", 65535, 4),
      // --- WASI functions that answer with an errno and never touch memory
      unused("fd_seek", {"newoffset"}),
      unused("fd_prestat_get", {"buf"}),
      unused("fd_prestat_dir_name", {"path"}),
      unused("path_create_directory", {"path"}),
      unused("path_filestat_get", {"path", "buf"}),
      unused("path_filestat_set_times", {"path"}),
      unused("path_link", {"old_path", "new_path"}),
      unused("path_open", {"path", "opened_fd"}),
      unused("path_readlink", {"path", "buf", "bufused"}),
      unused("path_remove_directory", {"path"}),
      unused("path_rename", {"old_path", "new_path"}),
      unused("path_symlink", {"old_path", "new_path"}),
      unused("path_unlink_file", {"path"}),
      unused("args_get", {"argv", "argv_buf"}),
      unused("environ_get", {"environ", "environ_buf"}),
  };
}

std::vector<PointerParams> make_params() {
  const std::string w = "ward_v1", s = "wasi_snapshot_preview1";
  return {
      {w, "input_size", {}},
      {w, "input_read", {"ptr"}},
      {w, "result_write", {"ptr"}},
      {w, "revert", {"ptr"}},
      {w, "storage_get", {"key_ptr", "val_ptr"}},
      {w, "storage_put", {"key_ptr", "val_ptr"}},
      {w, "storage_delete", {"key_ptr"}},
      {w, "sender", {"ptr"}},
      {w, "self_address", {"ptr"}},
      {w, "block_height", {}},
      {w, "block_time", {}},
      {w, "gas_left", {}},
      {w, "log", {"name_ptr", "data_ptr"}},
      {w, "debug_print", {"ptr"}},
      {w, "origin", {"ptr"}},
      {w, "call_value", {}},
      {w, "storage_iter_prefix", {"prefix_ptr"}},
      {w, "storage_iter_range", {"start_ptr", "end_ptr"}},
      {w, "storage_iter_next", {"lens_ptr"}},
      {w, "storage_iter_key", {"ptr"}},
      {w, "storage_iter_value", {"ptr"}},
      {w, "storage_iter_close", {}},
      {w, "object_create", {"owner_ptr", "id_out_ptr"}},
      {w, "object_exists", {"id_ptr"}},
      {w, "object_owner", {"id_ptr", "out_ptr"}},
      {w, "object_by_owner", {"owner_ptr", "id_out_ptr"}},
      {w, "object_get_field", {"id_ptr", "name_ptr", "val_ptr"}},
      {w, "object_set_field", {"id_ptr", "name_ptr", "val_ptr"}},
      {w, "object_set_owner", {"id_ptr", "owner_ptr"}},
      {w, "object_delete", {"id_ptr"}},
      {w, "balance", {"addr_ptr"}},
      {w, "transfer", {"to_ptr"}},
      {w, "call", {"addr_ptr", "method_ptr", "args_ptr"}},
      {w, "call_result_size", {}},
      {w, "call_result_read", {"ptr"}},
      {w, "sha256", {"ptr", "out_ptr"}},
      {w, "keccak256", {"ptr", "out_ptr"}},
      {w, "ed25519_verify", {"sig_ptr", "pk_ptr", "msg_ptr"}},
      {w, "method_size", {}},
      {w, "method_read", {"ptr"}},
      {s, "fd_write", {"iovs", "nwritten"}},
      {s, "fd_read", {"iovs", "nread"}},
      {s, "fd_close", {}},
      {s, "fd_seek", {"newoffset"}},
      {s, "fd_fdstat_get", {"stat"}},
      {s, "fd_fdstat_set_flags", {}},
      {s, "fd_filestat_get", {"buf"}},
      {s, "fd_prestat_get", {"buf"}},
      {s, "fd_prestat_dir_name", {"path"}},
      {s, "path_create_directory", {"path"}},
      {s, "path_filestat_get", {"path", "buf"}},
      {s, "path_filestat_set_times", {"path"}},
      {s, "path_link", {"old_path", "new_path"}},
      {s, "path_open", {"path", "opened_fd"}},
      {s, "path_readlink", {"path", "buf", "bufused"}},
      {s, "path_remove_directory", {"path"}},
      {s, "path_rename", {"old_path", "new_path"}},
      {s, "path_symlink", {"old_path", "new_path"}},
      {s, "path_unlink_file", {"path"}},
      {s, "args_sizes_get", {"argc", "argv_buf_size"}},
      {s, "args_get", {"argv", "argv_buf"}},
      {s, "environ_sizes_get", {"count", "buf_size"}},
      {s, "environ_get", {"environ", "environ_buf"}},
      {s, "clock_time_get", {"time"}},
      {s, "clock_res_get", {"res"}},
      {s, "random_get", {"buf"}},
      {s, "poll_oneoff", {"subscriptions", "events", "nevents"}},
      {s, "sched_yield", {}},
      {s, "proc_exit", {}},
  };
}

}  // namespace

const std::vector<PointerParams>& host_pointer_params() {
  static const std::vector<PointerParams> v = make_params();
  return v;
}

const std::vector<OobCase>& host_oob_cases() {
  static const std::vector<OobCase> v = make_cases();
  return v;
}

}  // namespace ward::adversarial
