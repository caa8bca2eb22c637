// ward/host/pending.cpp — contract model functions not wired yet: each traps.
#include "host/detail.h"

namespace ward::host::detail {

#define WARD_PENDING(fn) \
  TrapKind fn(HostCall& hc, const Value*, Value*) { return Call(hc).fail("not available yet"); }
WARD_PENDING(origin)
WARD_PENDING(call_value)
WARD_PENDING(storage_iter_prefix)
WARD_PENDING(storage_iter_range)
WARD_PENDING(storage_iter_next)
WARD_PENDING(storage_iter_key)
WARD_PENDING(storage_iter_value)
WARD_PENDING(object_create)
WARD_PENDING(object_exists)
WARD_PENDING(object_owner)
WARD_PENDING(object_by_owner)
WARD_PENDING(object_get_field)
WARD_PENDING(object_set_field)
WARD_PENDING(object_set_owner)
WARD_PENDING(object_delete)
WARD_PENDING(balance)
WARD_PENDING(transfer)
WARD_PENDING(call)
WARD_PENDING(call_result_size)
WARD_PENDING(call_result_read)
WARD_PENDING(sha256)
WARD_PENDING(keccak256)
WARD_PENDING(ed25519_verify)

}  // namespace ward::host::detail
