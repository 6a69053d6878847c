// ClusterEngine: the native heartbeat engine of clustering. The engine thread sends, receives and
// times; JavaScript is told that something changed and reads a snapshot to decide.
#include <arpa/inet.h>

#include <string>

#include "cluster_engine.h"
#include "cluster_garp.h"
#include "exports.h"

namespace tandem {
namespace {

struct in_addr Ipv4(Napi::Env env, const Napi::Value& v, const char* what) {
  struct in_addr a {};
  if (!v.IsString() || inet_pton(AF_INET, v.As<Napi::String>().Utf8Value().c_str(), &a) != 1)
    throw Napi::Error::New(env, std::string("ClusterEngine: bad ") + what);
  return a;
}

void CopyName(Napi::Env env, char* dst, size_t cap, const Napi::Value& v, const char* what) {
  std::string s = v.As<Napi::String>();
  if (s.empty() || s.size() >= cap) throw Napi::Error::New(env, std::string("ClusterEngine: bad ") + what);
  snprintf(dst, cap, "%s", s.c_str());
}

// { node, peer, group, role: 'primary'|'secondary', links: string[], mcastGroup, port, keepaliveMs,
//   deadMs, monitorDeadMs, initDeadMs, secret, monitors: string[], digest: Buffer(16),
//   generation, skipInit }
cle_config ConfigFrom(Napi::Env env, const Napi::Object& o) {
  cle_config c{};
  CopyName(env, c.node, sizeof(c.node), o.Get("node"), "node");
  CopyName(env, c.peer, sizeof(c.peer), o.Get("peer"), "peer");
  CopyName(env, c.group, sizeof(c.group), o.Get("group"), "group");
  c.role = o.Get("role").As<Napi::String>().Utf8Value() == "primary" ? CHB_ROLE_PRIMARY : CHB_ROLE_SECONDARY;
  Napi::Array links = o.Get("links").As<Napi::Array>();
  for (uint32_t i = 0; i < links.Length() && i < CLE_MAX_LINKS; i++) {
    CopyName(env, c.links[i], sizeof(c.links[i]), links.Get(i), "link");
    c.n_links = static_cast<int>(i + 1);
  }
  c.mcast = Ipv4(env, o.Get("mcastGroup"), "mcastGroup");
  c.port = static_cast<uint16_t>(o.Get("port").As<Napi::Number>().Uint32Value());
  c.keepalive_ms = o.Get("keepaliveMs").As<Napi::Number>().Uint32Value();
  c.dead_ms = o.Get("deadMs").As<Napi::Number>().Uint32Value();
  c.monitor_dead_ms = o.Get("monitorDeadMs").As<Napi::Number>().Uint32Value();
  c.init_dead_ms = o.Get("initDeadMs").As<Napi::Number>().Uint32Value();
  std::string secret = o.Get("secret").As<Napi::String>();
  if (secret.size() > CLE_KEY_MAX) throw Napi::Error::New(env, "ClusterEngine: secret too long");
  memcpy(c.key, secret.data(), secret.size());
  c.key_len = secret.size();
  Napi::Array monitors = o.Get("monitors").As<Napi::Array>();
  for (uint32_t i = 0; i < monitors.Length() && i < CLE_MAX_MONITORS; i++) {
    c.monitors[i] = Ipv4(env, monitors.Get(i), "monitor");
    c.n_monitors = static_cast<int>(i + 1);
  }
  Napi::Buffer<uint8_t> digest = o.Get("digest").As<Napi::Buffer<uint8_t>>();
  memcpy(c.digest, digest.Data(), digest.Length() < 16 ? digest.Length() : 16);
  c.generation = static_cast<uint64_t>(o.Get("generation").As<Napi::Number>().Int64Value());
  c.skip_init = o.Get("skipInit").ToBoolean().Value() ? 1 : 0;
  return c;
}

const char* StateName(uint8_t s) {
  switch (s) {
    case CHB_STATE_INIT: return "init";
    case CHB_STATE_STANDBY: return "standby";
    case CHB_STATE_ACQUIRING: return "acquiring";
    case CHB_STATE_ACTIVE: return "active";
    case CHB_STATE_RELEASING: return "releasing";
    default: return "unknown";
  }
}

uint8_t StateOf(const std::string& s) {
  if (s == "standby") return CHB_STATE_STANDBY;
  if (s == "acquiring") return CHB_STATE_ACQUIRING;
  if (s == "active") return CHB_STATE_ACTIVE;
  if (s == "releasing") return CHB_STATE_RELEASING;
  return CHB_STATE_INIT;
}

void CallJs(Napi::Env env, Napi::Function cb, void*, void*) {
  if (env != nullptr && cb != nullptr) cb.Call({});
}

using ChangeTsfn = Napi::TypedThreadSafeFunction<void, void, CallJs>;

class ClusterEngine : public Napi::ObjectWrap<ClusterEngine> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "ClusterEngine",
                       {
                           InstanceMethod<&ClusterEngine::Reconfigure>("reconfigure"),
                           InstanceMethod<&ClusterEngine::SetLocal>("setLocal"),
                           InstanceMethod<&ClusterEngine::Status>("status"),
                           InstanceMethod<&ClusterEngine::Stop>("stop"),
                       });
  }

  // new ClusterEngine(config, onChange)
  explicit ClusterEngine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ClusterEngine>(info) {
    Napi::Env env = info.Env();
    cle_config c = ConfigFrom(env, info[0].As<Napi::Object>());
    tsfn_ = ChangeTsfn::New(env, info[1].As<Napi::Function>(), "cluster-changes", 0, 1);
    tsfn_.Unref(env);
    tdm_err err{};
    engine_ = cle_start(&c, &ClusterEngine::OnChange, this, &err);
    if (!engine_) {
      tsfn_.Release();
      ThrowCoreError(env, "cluster engine start", err);
    }
  }

  ~ClusterEngine() override { Shutdown(); }

 private:
  static void OnChange(void* ctx) { static_cast<ClusterEngine*>(ctx)->tsfn_.NonBlockingCall(); }

  void Shutdown() {
    if (engine_) {
      cle_stop(engine_);
      engine_ = nullptr;
      tsfn_.Release();
    }
  }

  cle_engine* Require(Napi::Env env) {
    if (!engine_) throw Napi::Error::New(env, "cluster engine is stopped");
    return engine_;
  }

  Napi::Value Reconfigure(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    cle_config c = ConfigFrom(env, info[0].As<Napi::Object>());
    tdm_err err{};
    if (cle_reconfigure(Require(env), &c, &err)) ThrowCoreError(env, "cluster reconfigure", err);
    return env.Undefined();
  }

  // setLocal(state: string, flags: number)
  Napi::Value SetLocal(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    cle_set_local(Require(env), StateOf(info[0].As<Napi::String>()),
                  static_cast<uint16_t>(info[1].As<Napi::Number>().Uint32Value()));
    return env.Undefined();
  }

  Napi::Value Status(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    struct cle_status s{};
    cle_status(Require(env), &s);
    auto ago = [&](int64_t t) { return t ? Napi::Number::New(env, static_cast<double>(s.now_ms - t)) : env.Null(); };
    Napi::Object o = Napi::Object::New(env);
    o.Set("uptimeMs", static_cast<double>(s.now_ms - s.started_ms));
    o.Set("realtime", s.realtime);
    o.Set("inInit", s.in_init != 0);
    o.Set("leftInitAlone", s.left_init_alone != 0);
    o.Set("localState", StateName(s.local_state));
    o.Set("localFlags", s.local_flags);
    o.Set("monitorsReachable", s.monitors_reachable);
    Napi::Object peer = Napi::Object::New(env);
    peer.Set("heard", s.peer_heard != 0);
    peer.Set("alive", s.peer_alive != 0);
    peer.Set("lastHeardMsAgo", ago(s.peer_last_ms));
    if (s.peer_heard) {
      peer.Set("name", s.peer.node);
      peer.Set("role", s.peer.role == CHB_ROLE_PRIMARY ? "primary" : "secondary");
      peer.Set("state", StateName(s.peer.state));
      peer.Set("flags", s.peer.flags);
      peer.Set("keepaliveMs", s.peer.keepalive_ms);
      peer.Set("monitorsTotal", s.peer.monitors_total);
      peer.Set("monitorsReachable", s.peer.monitors_reachable);
      peer.Set("generation", static_cast<double>(s.peer.generation));
      peer.Set("digest", Napi::Buffer<uint8_t>::Copy(env, s.peer.digest, sizeof(s.peer.digest)));
    }
    o.Set("peer", peer);
    Napi::Array links = Napi::Array::New(env, static_cast<size_t>(s.n_links));
    for (int i = 0; i < s.n_links; i++) {
      Napi::Object l = Napi::Object::New(env);
      l.Set("up", s.links[i].up != 0);
      l.Set("lastHeardMsAgo", ago(s.links[i].last_rx_ms));
      l.Set("late", static_cast<double>(s.links[i].late));
      l.Set("socketError", s.links[i].socket_error);
      links.Set(static_cast<uint32_t>(i), l);
    }
    o.Set("links", links);
    Napi::Array monitors = Napi::Array::New(env, static_cast<size_t>(s.n_monitors));
    static const char* kMon[] = {"unknown", "reachable", "unreachable"};
    for (int i = 0; i < s.n_monitors; i++) {
      Napi::Object m = Napi::Object::New(env);
      m.Set("state", kMon[s.monitors[i].state < 3 ? s.monitors[i].state : 0]);
      m.Set("lastReplyMsAgo", ago(s.monitors[i].last_reply_ms));
      m.Set("rttMs", s.monitors[i].rtt_us / 1000.0);
      monitors.Set(static_cast<uint32_t>(i), m);
    }
    o.Set("monitors", monitors);
    Napi::Object c = Napi::Object::New(env);
    c.Set("heartbeatsSent", static_cast<double>(s.counters.sent));
    c.Set("heartbeatsReceived", static_cast<double>(s.counters.received));
    c.Set("authFailures", static_cast<double>(s.counters.auth_failures));
    c.Set("malformed", static_cast<double>(s.counters.malformed));
    c.Set("replays", static_cast<double>(s.counters.replays));
    c.Set("lateHeartbeats", static_cast<double>(s.counters.late));
    c.Set("foreign", static_cast<double>(s.counters.foreign));
    o.Set("counters", c);
    return o;
  }

  Napi::Value Stop(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  cle_engine* engine_ = nullptr;
  ChangeTsfn tsfn_;
};

}  // namespace

// clusterGarp(ifname, address): one round of gratuitous ARP (request and reply) for a cluster address.
Napi::Value ClusterGarp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string ifname = info[0].As<Napi::String>();
  struct in_addr a = Ipv4(env, info[1], "address");
  tdm_err err{};
  if (cluster_garp_round(ifname.c_str(), a, &err)) ThrowCoreError(env, "gratuitous ARP", err);
  return env.Undefined();
}

void RegisterClusterEngine(Napi::Env env, Napi::Object exports) {
  exports.Set("ClusterEngine", ClusterEngine::Define(env));
  exports.Set("clusterGarp", Napi::Function::New(env, ClusterGarp, "clusterGarp"));
}

}  // namespace tandem
