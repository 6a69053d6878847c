// wlbTtlProbe(ifname, mark, target, ttl, port, timeoutMs) → Promise: the ttl health test runs on
// a worker thread (it waits up to resp-time), never on the event loop.
#include <arpa/inet.h>

#include <string>

#include "exports.h"
#include "wlb_ttl_probe.h"

namespace tandem {
namespace {

class TtlProbeWorker : public Napi::AsyncWorker {
 public:
  TtlProbeWorker(Napi::Env env, std::string ifname, const wlb_ttl_probe& p)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), ifname_(std::move(ifname)), probe_(p) {
    probe_.ifname = ifname_.c_str();
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override { rc_ = wlb_ttl_probe_run(&probe_, &result_, &err_); }
  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object o = Napi::Object::New(env);
    static const char* const kAnswers[] = {"timeout", "icmp", "reply", "local-error"};
    char from[INET_ADDRSTRLEN] = "";
    if (result_.from.s_addr) inet_ntop(AF_INET, &result_.from, from, sizeof(from));
    o.Set("answer", kAnswers[result_.answer]);
    o.Set("icmpType", result_.icmp_type);
    o.Set("icmpCode", result_.icmp_code);
    o.Set("from", from[0] ? Napi::Value(Napi::String::New(env, from)) : env.Null());
    o.Set("rttMs", result_.rtt_ms);
    o.Set("error", rc_ < 0 ? Napi::Value(Napi::String::New(env, err_.msg)) : env.Null());
    deferred_.Resolve(o);
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::string ifname_;
  wlb_ttl_probe probe_;
  wlb_ttl_result result_{};
  tdm_err err_{};
  int rc_ = 0;
};

Napi::Value WlbTtlProbe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = info[0].As<Napi::String>().Utf8Value();
  wlb_ttl_probe p{};
  p.mark = info[1].As<Napi::Number>().Uint32Value();
  std::string target = info[2].As<Napi::String>().Utf8Value();
  if (inet_pton(AF_INET, target.c_str(), &p.target) != 1)
    throw Napi::TypeError::New(env, "ttl probe target is not an IPv4 address: " + target);
  p.ttl = static_cast<uint8_t>(info[3].As<Napi::Number>().Uint32Value());
  p.port = static_cast<uint16_t>(info[4].As<Napi::Number>().Uint32Value());
  p.timeout_ms = info[5].As<Napi::Number>().Int32Value();
  auto* worker = new TtlProbeWorker(env, std::move(ifname), p);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace

void RegisterWlbTtlProbe(Napi::Env env, Napi::Object exports) {
  exports.Set("wlbTtlProbe", Napi::Function::New<WlbTtlProbe>(env, "wlbTtlProbe"));
}

}  // namespace tandem
