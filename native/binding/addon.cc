#include "exports.h"

namespace tandem {

void ThrowCoreError(Napi::Env env, const char* operation, const tdm_err& err) {
  Napi::Error e = Napi::Error::New(env, err.msg[0] ? err.msg : operation);
  e.Set("errno", Napi::Number::New(env, -err.code));
  e.Set("operation", Napi::String::New(env, operation));
  throw e;
}

}  // namespace tandem

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  tandem::RegisterBpfObject(env, exports);
  tandem::RegisterBpfMap(env, exports);
  tandem::RegisterBpfAttach(env, exports);
  tandem::RegisterVrrpEngine(env, exports);
  tandem::RegisterWlbDataplane(env, exports);
  tandem::RegisterWlbTtlProbe(env, exports);
  tandem::RegisterCtsyncCodec(env, exports);
  tandem::RegisterCtsyncEngine(env, exports);
  tandem::RegisterClusterEngine(env, exports);
  return exports;
}

NODE_API_MODULE(tandem_native, Init)
