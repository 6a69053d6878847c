// Attach/detach on interfaces by name: tc (clsact, direct action) and XDP.
#include <string>

#include "bpf_attach.h"
#include "exports.h"

namespace tandem {
namespace {

int Ifindex(Napi::Env env, Napi::Value v) {
  std::string name = v.As<Napi::String>();
  tdm_err err{};
  int idx = tdm_ifindex(name.c_str(), &err);
  if (idx < 0) ThrowCoreError(env, "interface", err);
  return idx;
}

tdm_tc_dir Dir(Napi::Env env, Napi::Value v) {
  std::string d = v.As<Napi::String>();
  if (d == "ingress") return TDM_TC_INGRESS;
  if (d == "egress") return TDM_TC_EGRESS;
  throw Napi::TypeError::New(env, "direction must be 'ingress' or 'egress'");
}

tdm_xdp_mode Mode(Napi::Env env, Napi::Value v) {
  std::string m = v.IsString() ? v.As<Napi::String>().Utf8Value() : "auto";
  if (m == "auto") return TDM_XDP_AUTO;
  if (m == "skb") return TDM_XDP_SKB;
  if (m == "drv") return TDM_XDP_DRV;
  throw Napi::TypeError::New(env, "XDP mode must be 'auto', 'skb' or 'drv'");
}

uint32_t U32(Napi::Value v) { return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : 0; }

Napi::Object LinkObject(Napi::Env env, const tdm_tc_link& l) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("ifindex", l.ifindex);
  o.Set("direction", l.dir == TDM_TC_EGRESS ? "egress" : "ingress");
  o.Set("handle", l.handle);
  o.Set("priority", l.priority);
  return o;
}

tdm_tc_link LinkFrom(Napi::Env env, Napi::Value v) {
  Napi::Object o = v.As<Napi::Object>();
  tdm_tc_link l{};
  l.ifindex = o.Get("ifindex").As<Napi::Number>().Int32Value();
  l.dir = Dir(env, o.Get("direction"));
  l.handle = U32(o.Get("handle"));
  l.priority = U32(o.Get("priority"));
  return l;
}

// tcAttach(ifname, direction, progFd, handle?, priority?): TcLink
Napi::Value TcAttach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int idx = Ifindex(env, info[0]);
  tdm_tc_link link{};
  tdm_err err{};
  if (tdm_tc_attach(idx, Dir(env, info[1]), info[2].As<Napi::Number>().Int32Value(), U32(info[3]),
                    U32(info[4]), &link, &err))
    ThrowCoreError(env, "tc attach", err);
  return LinkObject(env, link);
}

Napi::Value TcDetach(const Napi::CallbackInfo& info) {
  tdm_tc_link link = LinkFrom(info.Env(), info[0]);
  tdm_err err{};
  if (tdm_tc_detach(&link, &err)) ThrowCoreError(info.Env(), "tc detach", err);
  return info.Env().Undefined();
}

// tcQuery(link): program id or 0
Napi::Value TcQuery(const Napi::CallbackInfo& info) {
  tdm_tc_link link = LinkFrom(info.Env(), info[0]);
  uint32_t id = 0;
  tdm_err err{};
  if (tdm_tc_query(&link, &id, &err)) ThrowCoreError(info.Env(), "tc query", err);
  return Napi::Number::New(info.Env(), id);
}

// xdpAttach(ifname, progFd, mode?): ifindex
Napi::Value XdpAttach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int idx = Ifindex(env, info[0]);
  tdm_err err{};
  if (tdm_xdp_attach(idx, info[1].As<Napi::Number>().Int32Value(), Mode(env, info[2]), &err))
    ThrowCoreError(env, "xdp attach", err);
  return Napi::Number::New(env, idx);
}

Napi::Value XdpDetach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  tdm_err err{};
  if (tdm_xdp_detach(Ifindex(env, info[0]), Mode(env, info[1]), &err)) ThrowCoreError(env, "xdp detach", err);
  return env.Undefined();
}

Napi::Value XdpQuery(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t id = 0;
  tdm_err err{};
  if (tdm_xdp_query(Ifindex(env, info[0]), Mode(env, info[1]), &id, &err)) ThrowCoreError(env, "xdp query", err);
  return Napi::Number::New(env, id);
}

Napi::Value IfIndex(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), Ifindex(info.Env(), info[0])); }

}  // namespace

void RegisterBpfAttach(Napi::Env env, Napi::Object exports) {
  exports.Set("ifIndex", Napi::Function::New<IfIndex>(env));
  exports.Set("tcAttach", Napi::Function::New<TcAttach>(env));
  exports.Set("tcDetach", Napi::Function::New<TcDetach>(env));
  exports.Set("tcQuery", Napi::Function::New<TcQuery>(env));
  exports.Set("xdpAttach", Napi::Function::New<XdpAttach>(env));
  exports.Set("xdpDetach", Napi::Function::New<XdpDetach>(env));
  exports.Set("xdpQuery", Napi::Function::New<XdpQuery>(env));
}

}  // namespace tandem
