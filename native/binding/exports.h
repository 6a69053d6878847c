// Each binding file registers its exports here; addon.cc calls them all.
#pragma once
#include <napi.h>

#include "tdm_err.h"

namespace tandem {

// Throws a JS Error carrying the core's message, `errno` (positive) and `operation`.
[[noreturn]] void ThrowCoreError(Napi::Env env, const char* operation, const tdm_err& err);

void RegisterBpfObject(Napi::Env env, Napi::Object exports);
void RegisterBpfMap(Napi::Env env, Napi::Object exports);
void RegisterBpfAttach(Napi::Env env, Napi::Object exports);
void RegisterVrrpEngine(Napi::Env env, Napi::Object exports);
void RegisterWlbDataplane(Napi::Env env, Napi::Object exports);
void RegisterWlbTtlProbe(Napi::Env env, Napi::Object exports);
void RegisterCtsyncCodec(Napi::Env env, Napi::Object exports);
void RegisterCtsyncEngine(Napi::Env env, Napi::Object exports);
void RegisterClusterEngine(Napi::Env env, Napi::Object exports);

}  // namespace tandem
