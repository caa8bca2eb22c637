// ward/rpc/dispatcher.cpp — JSON-RPC 2.0 envelope checks, batches and
// handler invocation (JSON-RPC 2.0 specification sections 4-6).
#include "rpc/dispatcher.h"

#include <exception>
#include <mutex>
#include <utility>

#include "util/json_depth.h"

namespace ward::rpc {
namespace {

using nlohmann::json;

std::string dump(const json& value) {
  // Replace invalid UTF-8 instead of throwing: a handler's strings must not
  // be able to turn a response into an exception.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json error_object(const RpcError& error, const json& id) {
  json err = {{"code", error.code}, {"message", error.message}};
  if (!error.data.is_null()) err["data"] = error.data;
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(err)}};
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the
// rest names the line, column and cause.
std::string parse_error_text(const std::exception& e) {
  std::string_view what = e.what();
  if (const auto pos = what.find("] "); what.rfind("[json.exception.", 0) == 0 && pos != std::string_view::npos) {
    what.remove_prefix(pos + 2);
  }
  return std::string(what);
}

bool valid_id(const json& id) { return id.is_string() || id.is_number() || id.is_null(); }

void log_line(const DispatchOptions& options, const std::string& line) {
  if (!options.log) return;
  try {
    options.log(line);
  } catch (...) {
    // A failing log sink must not fail the request.
  }
}

}  // namespace

void Dispatcher::add(std::string name, Handler handler) {
  std::unique_lock lock(m_mutex);
  m_methods.insert_or_assign(std::move(name), std::move(handler));
}

bool Dispatcher::has(std::string_view name) const {
  std::shared_lock lock(m_mutex);
  return m_methods.find(name) != m_methods.end();
}

std::optional<Handler> Dispatcher::find(const std::string& name) const {
  std::shared_lock lock(m_mutex);
  const auto it = m_methods.find(name);
  if (it == m_methods.end()) return std::nullopt;
  return it->second;
}

std::string Dispatcher::error_response(const RpcError& error, const json& id) {
  return dump(error_object(error, id));
}

std::optional<json> Dispatcher::handle_one(const json& request, const CallContext& ctx,
                                           const DispatchOptions& options) const {
  if (!request.is_object()) {
    return error_object({kInvalidRequest, "request must be an object", nullptr}, nullptr);
  }
  const auto id_it = request.find("id");
  const bool has_id = id_it != request.end();
  if (has_id && !valid_id(*id_it)) {
    return error_object({kInvalidRequest, "id must be a string, a number or null", nullptr}, nullptr);
  }
  const json id = has_id ? *id_it : json(nullptr);
  auto invalid = [&id](std::string message) {
    return error_object({kInvalidRequest, std::move(message), nullptr}, id);
  };
  for (const auto& [key, value] : request.items()) {
    if (key != "jsonrpc" && key != "method" && key != "params" && key != "id") {
      return invalid("unknown member \"" + key + "\" in request");
    }
  }
  const auto version = request.find("jsonrpc");
  if (version == request.end() || !version->is_string() || version->get_ref<const std::string&>() != "2.0") {
    return invalid("jsonrpc must be \"2.0\"");
  }
  const auto method_it = request.find("method");
  if (method_it == request.end() || !method_it->is_string()) {
    return invalid("method must be a string");
  }
  const auto params_it = request.find("params");
  if (params_it != request.end() && !params_it->is_array() && !params_it->is_object()) {
    return invalid("params must be an array or an object");
  }
  const std::string& method = method_it->get_ref<const std::string&>();
  std::optional<Handler> handler;
  if (options.builtins != nullptr) handler = options.builtins->find(method);
  if (!handler) handler = find(method);
  if (!handler) {
    if (!has_id) return std::nullopt;  // notifications are never answered
    return error_object({kMethodNotFound, "method \"" + method + "\" not found", nullptr}, id);
  }

  static const json kNoParams = nullptr;
  const json& params = params_it != request.end() ? *params_it : kNoParams;
  json reply;
  try {
    json result = (*handler)(params, ctx);
    reply = json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
  } catch (const RpcError& e) {
    reply = error_object(e, id);
  } catch (const std::exception& e) {
    log_line(options, "rpc: method \"" + method + "\" failed: " + e.what());
    reply = error_object({kInternalError, "internal error", nullptr}, id);
  } catch (...) {
    log_line(options, "rpc: method \"" + method + "\" failed with a non-standard exception");
    reply = error_object({kInternalError, "internal error", nullptr}, id);
  }
  const auto now = std::chrono::steady_clock::now();
  if (now > ctx.deadline) {
    const auto over = std::chrono::duration_cast<std::chrono::milliseconds>(now - ctx.deadline).count();
    log_line(options, "rpc: warning: method \"" + method + "\" answered " + std::to_string(over) +
                          " ms after its deadline (request_timeout_ms)");
  }
  if (!has_id) return std::nullopt;
  return reply;
}

std::optional<std::string> Dispatcher::handle(std::string_view body, const CallContext& ctx,
                                              const DispatchOptions& options) const {
  try {
    if (json_depth(body) > options.max_json_depth) {
      return error_response({kParseError,
                             "request nesting exceeds max_json_depth (" + std::to_string(options.max_json_depth) + ")",
                             nullptr});
    }
    json request;
    try {
      request = json::parse(body.begin(), body.end());
    } catch (const json::parse_error& e) {
      return error_response({kParseError, parse_error_text(e), nullptr});
    }
    if (!request.is_array()) {
      auto reply = handle_one(request, ctx, options);
      if (!reply) return std::nullopt;
      return dump(*reply);
    }
    if (request.empty()) return error_response({kInvalidRequest, "empty batch", nullptr});
    if (request.size() > options.max_batch) {
      return error_response({kInvalidRequest,
                             "batch of " + std::to_string(request.size()) + " requests exceeds max_batch (" +
                                 std::to_string(options.max_batch) + ")",
                             nullptr});
    }
    json replies = json::array();
    for (const auto& item : request) {
      auto reply = handle_one(item, ctx, options);
      if (reply) replies.push_back(std::move(*reply));
    }
    if (replies.empty()) return std::nullopt;
    return dump(replies);
  } catch (const std::exception& e) {
    // Out of memory or a bug in the envelope code: answer, never crash.
    log_line(options, std::string("rpc: request failed: ") + e.what());
    return error_response({kInternalError, "internal error", nullptr});
  }
}

}  // namespace ward::rpc
