// VrrpEngine: the JavaScript handle of the native VRRP engine thread. Converts group
// configurations and status snapshots between JS objects and C structs; engine events arrive
// through a thread-safe function and never block the engine.
#include <cstring>
#include <string>
#include <vector>

#include "exports.h"
#include "vrrp_engine.h"

namespace tandem {
namespace {

uint32_t U32(Napi::Object o, const char* key, uint32_t dflt = 0) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : dflt;
}

int32_t I32(Napi::Object o, const char* key) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : 0;
}

bool Bool(Napi::Object o, const char* key) {
  Napi::Value v = o.Get(key);
  return v.IsBoolean() && v.As<Napi::Boolean>().Value();
}

void Str(Napi::Object o, const char* key, char* dst, size_t cap) {
  Napi::Value v = o.Get(key);
  std::string s = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (s.size() >= cap) throw Napi::RangeError::New(o.Env(), std::string(key) + " is too long: " + s);
  std::memcpy(dst, s.c_str(), s.size() + 1);
}

void Bytes(Napi::Value v, uint8_t* dst, size_t cap, const char* what) {
  if (!v.IsBuffer()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Buffer");
  auto b = v.As<Napi::Buffer<uint8_t>>();
  if (b.Length() > cap) throw Napi::RangeError::New(v.Env(), std::string(what) + " is too long");
  std::memcpy(dst, b.Data(), b.Length());
}

vrrp_group_config GroupFrom(Napi::Object o) {
  vrrp_group_config c{};
  Str(o, "parent", c.parent, sizeof(c.parent));
  Str(o, "vrrpIfname", c.vrrp_ifname, sizeof(c.vrrp_ifname));
  Str(o, "syncGroup", c.sync_group, sizeof(c.sync_group));
  c.fsm.vrid = static_cast<uint8_t>(U32(o, "vrid"));
  c.fsm.version = static_cast<uint8_t>(U32(o, "version", 2));
  c.fsm.family = static_cast<uint8_t>(U32(o, "family", 4));
  c.fsm.priority = static_cast<uint8_t>(U32(o, "priority", 100));
  c.fsm.interval = static_cast<uint16_t>(U32(o, "interval", 1));
  c.fsm.preempt = Bool(o, "preempt");
  c.fsm.accept = Bool(o, "accept");
  c.fsm.disabled = Bool(o, "disabled");
  c.fsm.sync_member = c.sync_group[0] != 0;
  c.fsm.preempt_delay_s = static_cast<uint16_t>(U32(o, "preemptDelay"));
  c.fsm.start_delay_s = static_cast<uint16_t>(U32(o, "startDelay"));
  Napi::Value primary = o.Get("primary");
  c.has_primary = primary.IsBuffer();
  if (c.has_primary) Bytes(primary, c.fsm.primary, sizeof(c.fsm.primary), "primary");
  c.auth_type = static_cast<uint8_t>(U32(o, "authType"));
  Napi::Value password = o.Get("password");
  if (password.IsString()) {
    std::string p = password.As<Napi::String>().Utf8Value();
    if (p.size() > VRRP_PASSWORD_LEN) throw Napi::RangeError::New(o.Env(), "password longer than 8");
    std::memcpy(c.password, p.data(), p.size());
  }
  c.v3_csum = static_cast<uint8_t>(U32(o, "v3Checksum"));
  Napi::Array vips = o.Get("vips").As<Napi::Array>();
  if (vips.Length() == 0 || vips.Length() > VRRP_MAX_VIPS) throw Napi::RangeError::New(o.Env(), "1-20 VIPs");
  c.vip_count = static_cast<uint8_t>(vips.Length());
  for (uint32_t i = 0; i < vips.Length(); i++) {
    Napi::Object v = vips.Get(i).As<Napi::Object>();
    Bytes(v.Get("address"), c.vips[i].b, sizeof(c.vips[i].b), "vip address");
    c.vip_prefix[i] = static_cast<uint8_t>(U32(v, "prefix"));
  }
  Napi::Value track = o.Get("track");
  if (track.IsArray()) {
    Napi::Array t = track.As<Napi::Array>();
    if (t.Length() > VRRP_ENGINE_MAX_TRACK) throw Napi::RangeError::New(o.Env(), "too many tracked interfaces");
    c.track_count = static_cast<uint8_t>(t.Length());
    for (uint32_t i = 0; i < t.Length(); i++) {
      Napi::Object e = t.Get(i).As<Napi::Object>();
      Str(e, "ifname", c.track[i].ifname, sizeof(c.track[i].ifname));
      c.track[i].weight = I32(e, "weight");
    }
  }
  return c;
}

Napi::Buffer<uint8_t> Copy(Napi::Env env, const uint8_t* p, size_t n) { return Napi::Buffer<uint8_t>::Copy(env, p, n); }

Napi::Object ChangeObject(Napi::Env env, const vrrp_state_change& c, uint8_t family) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("from", vrrp_state_name(static_cast<vrrp_state>(c.from)));
  o.Set("to", vrrp_state_name(static_cast<vrrp_state>(c.to)));
  o.Set("reason", vrrp_reason_name(static_cast<vrrp_reason>(c.reason)));
  o.Set("reasonText", vrrp_reason_text(static_cast<vrrp_reason>(c.reason)));
  if (c.has_peer) {
    o.Set("peerPriority", c.peer_priority);
    o.Set("peer", Copy(env, c.peer, family == 6 ? 16 : 4));
  }
  return o;
}

Napi::Object EventObject(Napi::Env env, const vrrp_event& ev) {
  Napi::Object o = Napi::Object::New(env);
  static const char* types[] = {"state", "sync-state", "log"};
  o.Set("type", types[ev.type]);
  o.Set("parent", ev.parent);
  o.Set("vrid", ev.vrid);
  o.Set("syncGroup", ev.sync_group);
  o.Set("unixMs", static_cast<double>(ev.unix_ms));
  if (ev.type == VRRP_EV_LOG) {
    o.Set("level", ev.level);
    o.Set("text", ev.text);
  } else {
    o.Set("change", ChangeObject(env, ev.change, 4));
  }
  return o;
}

Napi::Object StatusObject(Napi::Env env, const vrrp_group_status& s) {
  const vrrp_fsm& f = s.fsm;
  size_t alen = f.cfg.family == 6 ? 16 : 4;
  Napi::Object o = Napi::Object::New(env);
  o.Set("parent", s.parent);
  o.Set("vrid", s.vrid);
  o.Set("state", vrrp_state_name(static_cast<vrrp_state>(f.state)));
  o.Set("priority", f.cfg.priority);
  o.Set("effectivePriority", f.effective_priority);
  o.Set("faults", f.faults);
  o.Set("masterAdverIntervalUs", static_cast<double>(f.master_adver_interval_us));
  o.Set("skewUs", static_cast<double>(vrrp_fsm_skew_us(&f)));
  o.Set("masterDownUs", static_cast<double>(vrrp_fsm_master_down_us(&f)));
  o.Set("lastTransitionUnixMs", static_cast<double>(s.last_transition_unix_ms));
  o.Set("linkUp", s.link_up);
  o.Set("csumForm", s.csum_form == VRRP_CSUM_FORM_A ? "rfc9568" : "pseudo-header");
  o.Set("syncGroup", s.sync_group);
  o.Set("syncState", vrrp_state_name(static_cast<vrrp_state>(s.sync_state)));
  if (f.master.known) {
    Napi::Object m = Napi::Object::New(env);
    m.Set("priority", f.master.priority);
    m.Set("address", Copy(env, f.master.addr, alen));
    m.Set("mac", Copy(env, f.master.mac, 6));
    m.Set("intervalUs", static_cast<double>(f.master.interval_us));
    m.Set("ageUs", 0);
    o.Set("master", m);
  }
  Napi::Object c = Napi::Object::New(env);
  c.Set("advertisementsReceived", static_cast<double>(f.counters.adverts_received));
  c.Set("advertisementsSent", static_cast<double>(f.counters.adverts_sent));
  c.Set("becameMaster", static_cast<double>(f.counters.became_master));
  c.Set("releasedMaster", static_cast<double>(f.counters.released_master));
  c.Set("priorityZeroReceived", static_cast<double>(f.counters.prio0_received));
  c.Set("priorityZeroSent", static_cast<double>(f.counters.prio0_sent));
  Napi::Object drops = Napi::Object::New(env);
  for (int v = 1; v < VRRP_RX_VERDICT_COUNT; v++)
    drops.Set(vrrp_rx_verdict_name(static_cast<vrrp_rx_verdict>(v)), static_cast<double>(s.drops[v]));
  c.Set("drops", drops);
  o.Set("counters", c);
  Napi::Object ic = Napi::Object::New(env);
  ic.Set("unknownVrid", static_cast<double>(s.iface.unknown_vrid));
  ic.Set("badDestination", static_cast<double>(s.iface.bad_destination));
  ic.Set("malformed", static_cast<double>(s.iface.malformed));
  o.Set("interfaceCounters", ic);
  Napi::Array track = Napi::Array::New(env);
  for (int t = 0; t < VRRP_ENGINE_MAX_TRACK; t++) track.Set(t, s.track_up[t]);
  o.Set("trackUp", track);
  return o;
}

void CallJs(Napi::Env env, Napi::Function cb, void*, vrrp_event* ev) {
  if (env != nullptr && cb != nullptr) cb.Call({EventObject(env, *ev)});
  delete ev;
}

using EventTsfn = Napi::TypedThreadSafeFunction<void, vrrp_event, CallJs>;

class VrrpEngine : public Napi::ObjectWrap<VrrpEngine> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "VrrpEngine",
                       {
                           InstanceMethod<&VrrpEngine::Configure>("configure"),
                           InstanceMethod<&VrrpEngine::Status>("status"),
                           InstanceMethod<&VrrpEngine::ResetMaster>("resetMaster"),
                           InstanceMethod<&VrrpEngine::ResetCounters>("resetCounters"),
                           InstanceMethod<&VrrpEngine::Stop>("stop"),
                           InstanceMethod<&VrrpEngine::Detach>("detach"),
                           InstanceMethod<&VrrpEngine::Realtime>("realtime"),
                       });
  }

  // new VrrpEngine(stateDir, onEvent)
  explicit VrrpEngine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<VrrpEngine>(info) {
    Napi::Env env = info.Env();
    std::string state_dir = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
    tsfn_ = EventTsfn::New(env, info[1].As<Napi::Function>(), "vrrp-events", 0, 1);
    tsfn_.Unref(env);  // the daemon's life is decided by its signals, not by this handle
    tdm_err err{};
    engine_ = vrrp_engine_start(state_dir.c_str(), &VrrpEngine::OnEvent, this, &err);
    if (!engine_) {
      tsfn_.Release();
      ThrowCoreError(env, "vrrp engine start", err);
    }
  }

  ~VrrpEngine() override { Shutdown(); }

 private:
  // Engine thread (or a caller under the engine lock): copy and queue, never block.
  static void OnEvent(void* ctx, const vrrp_event* ev) {
    auto* self = static_cast<VrrpEngine*>(ctx);
    auto* copy = new vrrp_event(*ev);
    if (self->tsfn_.NonBlockingCall(copy) != napi_ok) delete copy;
  }

  void Shutdown(bool release = true) {
    if (engine_) {
      if (release)
        vrrp_engine_stop(engine_);
      else
        vrrp_engine_detach(engine_);
      engine_ = nullptr;
      tsfn_.Release();
    }
  }

  vrrp_engine* Require(Napi::Env env) {
    if (!engine_) throw Napi::Error::New(env, "VRRP engine is stopped");
    return engine_;
  }

  Napi::Value Configure(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Array arr = info[0].As<Napi::Array>();
    std::vector<vrrp_group_config> groups;
    for (uint32_t i = 0; i < arr.Length(); i++) groups.push_back(GroupFrom(arr.Get(i).As<Napi::Object>()));
    tdm_err err{};
    if (vrrp_engine_configure(Require(env), groups.data(), groups.size(), &err))
      ThrowCoreError(env, "vrrp configure", err);
    return env.Undefined();
  }

  Napi::Value Status(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::vector<vrrp_group_status> snap(64);
    size_t n = vrrp_engine_status(Require(env), snap.data(), snap.size());
    if (n > snap.size()) {
      snap.resize(n);
      n = vrrp_engine_status(engine_, snap.data(), snap.size());
      n = n < snap.size() ? n : snap.size();
    }
    Napi::Array out = Napi::Array::New(env, n);
    for (size_t i = 0; i < n; i++) out.Set(static_cast<uint32_t>(i), StatusObject(env, snap[i]));
    return out;
  }

  Napi::Value ResetMaster(const Napi::CallbackInfo& info) {
    std::string parent = info[0].As<Napi::String>();
    int rc = vrrp_engine_reset_master(Require(info.Env()), parent.c_str(),
                                      static_cast<uint8_t>(info[1].As<Napi::Number>().Uint32Value()));
    return Napi::Number::New(info.Env(), rc);
  }

  // realtime(): whether the engine thread got SCHED_FIFO (tdm_thread.h)
  Napi::Value Realtime(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), vrrp_engine_realtime(Require(info.Env())));
  }

  Napi::Value Stop(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  // detach(): stop the thread, leave VIPs and state records for the next engine (restart vrrp).
  Napi::Value Detach(const Napi::CallbackInfo& info) {
    Shutdown(false);
    return info.Env().Undefined();
  }

  // resetCounters(parent | null, vrid | 0): number of groups reset
  Napi::Value ResetCounters(const Napi::CallbackInfo& info) {
    std::string parent = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
    uint8_t vrid = info[1].IsNumber() ? static_cast<uint8_t>(info[1].As<Napi::Number>().Uint32Value()) : 0;
    int n = vrrp_engine_reset_counters(Require(info.Env()), parent.empty() ? nullptr : parent.c_str(), vrid);
    return Napi::Number::New(info.Env(), n);
  }

  vrrp_engine* engine_ = nullptr;
  EventTsfn tsfn_;
};

}  // namespace

void RegisterVrrpEngine(Napi::Env env, Napi::Object exports) { exports.Set("VrrpEngine", VrrpEngine::Define(env)); }

}  // namespace tandem
