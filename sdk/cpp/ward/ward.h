// ward/ward.h — the whole C++ contract SDK: #include <ward/ward.h>.
#pragma once

#include "ward/address.h"
#include "ward/codec.h"
#include "ward/collections.h"
#include "ward/context.h"
#include "ward/contract.h"
#include "ward/dispatch.h"
#include "ward/host.h"
#include "ward/json.h"
#include "ward/object.h"
#include "ward/storage.h"
#include "ward/types.h"
