// Conversions of sync entries to JavaScript, shared by the codec and the engine bindings.
#pragma once
#include <napi.h>

#include "ctsync_msg.h"

namespace tandem {

Napi::Object CtsyncEntryToJs(Napi::Env env, const cts_entry& e);
Napi::Object CtsyncExpToJs(Napi::Env env, const cts_exp& x);

}  // namespace tandem
