// ward/ward.h — the whole C++ contract SDK: #include <ward/ward.h>.
#pragma once

#include "ward/address.h"
#include "ward/contract.h"
#include "ward/host.h"
#include "ward/json.h"
#include "ward/storage.h"
