// Conversions of sync entries to JavaScript, shared by the codec and the engine bindings.
#pragma once
#include <napi.h>

#include "ctsync_msg.h"

namespace tandem {

Napi::Object CtsyncEntryToJs(Napi::Env env, const cts_entry& e);

}  // namespace tandem
