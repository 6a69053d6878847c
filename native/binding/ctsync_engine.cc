// CtsyncEngine: the native conntrack-sync engine for the daemon. The engine runs on its own thread;
// these calls only configure, read snapshots and commit.
#include <arpa/inet.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ctsync_engine.h"
#include "ctsync_js.h"
#include "exports.h"

namespace tandem {
namespace {

struct in_addr Ipv4(Napi::Env env, const Napi::Value& v, const char* what) {
  struct in_addr a {};
  if (!v.IsString() || inet_pton(AF_INET, v.As<Napi::String>().Utf8Value().c_str(), &a) != 1)
    throw Napi::Error::New(env, std::string("CtsyncEngine: bad ") + what);
  return a;
}

class CtsyncEngine : public Napi::ObjectWrap<CtsyncEngine> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "CtsyncEngine",
                       {
                           InstanceMethod<&CtsyncEngine::Stats>("stats"),
                           InstanceMethod<&CtsyncEngine::Cache>("cache"),
                           InstanceMethod<&CtsyncEngine::ExpectCache>("expectCache"),
                           InstanceMethod<&CtsyncEngine::Commit>("commit"),
                           InstanceMethod<&CtsyncEngine::Purge>("purge"),
                           InstanceMethod<&CtsyncEngine::Stop>("stop"),
                       });
  }

  // new CtsyncEngine({ interface, localAddress, group, port, socketBuffer, eventBuffer,
  //                    acceptMask, ignore: [{ address, mask }], commitTimeout, resyncAtStart,
  //                    secret?, expectHelpers?: string[] })
  explicit CtsyncEngine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CtsyncEngine>(info) {
    Napi::Env env = info.Env();
    Napi::Object o = info[0].As<Napi::Object>();
    cts_engine_config c{};
    std::string ifname = o.Get("interface").As<Napi::String>();
    snprintf(c.ifname, sizeof(c.ifname), "%s", ifname.c_str());
    c.local = Ipv4(env, o.Get("localAddress"), "localAddress");
    c.group = Ipv4(env, o.Get("group"), "group");
    c.port = static_cast<uint16_t>(o.Get("port").As<Napi::Number>().Uint32Value());
    c.sock_buf = o.Get("socketBuffer").As<Napi::Number>().Uint32Value();
    c.event_buf = o.Get("eventBuffer").As<Napi::Number>().Uint32Value();
    c.accept_mask = o.Get("acceptMask").As<Napi::Number>().Uint32Value();
    c.commit_timeout = o.Get("commitTimeout").As<Napi::Number>().Uint32Value();
    c.resync_at_start = o.Get("resyncAtStart").ToBoolean().Value() ? 1 : 0;
    if (o.Get("secret").IsString()) {
      std::string secret = o.Get("secret").As<Napi::String>();
      if (secret.empty() || secret.size() > sizeof(c.auth_secret))
        throw Napi::Error::New(env, "CtsyncEngine: the secret must be 1-128 bytes");
      memcpy(c.auth_secret, secret.data(), secret.size());
      c.auth_secret_len = static_cast<uint16_t>(secret.size());
    }
    Napi::Array ignore = o.Get("ignore").As<Napi::Array>();
    for (uint32_t i = 0; i < ignore.Length() && i < CTS_MAX_IGNORE; i++) {
      Napi::Object x = ignore.Get(i).As<Napi::Object>();
      c.ignore[i].addr = Ipv4(env, x.Get("address"), "ignore address");
      c.ignore[i].mask = Ipv4(env, x.Get("mask"), "ignore mask");
      c.n_ignore = i + 1;
    }
    Napi::Value helpers = o.Get("expectHelpers");
    if (helpers.IsArray()) {
      Napi::Array a = helpers.As<Napi::Array>();
      if (a.Length() > CTS_MAX_EXPECT_HELPERS) throw Napi::Error::New(env, "CtsyncEngine: too many expectHelpers");
      for (uint32_t i = 0; i < a.Length(); i++) {
        std::string name = a.Get(i).ToString();
        if (name.empty() || name.size() >= sizeof(c.expect_helpers[0]))
          throw Napi::Error::New(env, "CtsyncEngine: bad helper name " + name);
        snprintf(c.expect_helpers[i], sizeof(c.expect_helpers[i]), "%s", name.c_str());
      }
      c.n_expect_helpers = a.Length();
    }
    tdm_err err{};
    eng_ = cts_engine_start(&c, &err);
    if (!eng_) ThrowCoreError(env, "start", err);
  }

  ~CtsyncEngine() override { cts_engine_stop(eng_); }

 private:
  cts_engine* Require(Napi::Env env) {
    if (!eng_) throw Napi::Error::New(env, "conntrack-sync engine is stopped");
    return eng_;
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    cts_stats s{};
    cts_engine_stats(Require(env), &s);
    Napi::Object o = Napi::Object::New(env);
    auto n = [&](const char* k, uint64_t v) { o.Set(k, Napi::Number::New(env, static_cast<double>(v))); };
    n("eventsNew", s.events_new);
    n("eventsUpdate", s.events_update);
    n("eventsDestroy", s.events_destroy);
    n("eventsFiltered", s.events_filtered);
    n("eventOverruns", s.event_overruns);
    n("txMessages", s.tx_msgs);
    n("txBytes", s.tx_bytes);
    n("txErrors", s.tx_errors);
    n("rxMessages", s.rx_msgs);
    n("rxBytes", s.rx_bytes);
    n("rxErrors", s.rx_errors);
    n("malformed", s.malformed);
    n("lost", s.lost);
    n("resent", s.resent);
    n("acksSent", s.acks_sent);
    n("nacksSent", s.nacks_sent);
    n("authMissing", s.auth_missing);
    n("authBad", s.auth_bad);
    n("authReplay", s.auth_replay);
    n("txDatagrams", s.tx_datagrams);
    n("rxDatagrams", s.rx_datagrams);
    n("externalCreated", s.external_created);
    n("externalUpdated", s.external_updated);
    n("externalDestroyed", s.external_destroyed);
    n("trafficBytes", s.traffic_bytes);
    n("trafficPackets", s.traffic_packets);
    n("internal", s.internal);
    n("external", s.external);
    n("commitCreated", s.commit_created);
    n("commitFailed", s.commit_failed);
    n("expEventsNew", s.exp_events_new);
    n("expEventsDestroy", s.exp_events_destroy);
    n("expEventsFiltered", s.exp_events_filtered);
    n("expExternalCreated", s.exp_external_created);
    n("expExternalDestroyed", s.exp_external_destroyed);
    n("expInternal", s.exp_internal);
    n("expExternal", s.exp_external);
    n("commitExpCreated", s.commit_exp_created);
    n("commitExpFailed", s.commit_exp_failed);
    o.Set("peerSeen", Napi::Boolean::New(env, s.peer_seen != 0));
    return o;
  }

  // cache('internal' | 'external') → entries
  Napi::Value Cache(const Napi::CallbackInfo& info) {
    return Snapshot<cts_entry>(info, cts_engine_each, CtsyncEntryToJs);
  }

  // expectCache('internal' | 'external') → expectations
  Napi::Value ExpectCache(const Napi::CallbackInfo& info) {
    return Snapshot<cts_exp>(info, cts_engine_each_exp, CtsyncExpToJs);
  }

  // One of the engine's caches (info[0]: 'internal' | 'external') as an array: `each` walks it
  // under the engine's lock, `toJs` converts each item.
  template <typename T>
  Napi::Value Snapshot(const Napi::CallbackInfo& info,
                       void (*each)(cts_engine*, int, void (*)(const T*, void*), void*),
                       Napi::Object (*toJs)(Napi::Env, const T&)) {
    Napi::Env env = info.Env();
    std::string which = info[0].As<Napi::String>();
    struct Ctx {
      Napi::Array out;
      Napi::Object (*toJs)(Napi::Env, const T&);
    } ctx{Napi::Array::New(env), toJs};
    each(
        Require(env), which == "external" ? 1 : 0,
        [](const T* item, void* p) {
          auto* c = static_cast<Ctx*>(p);
          c->out.Set(c->out.Length(), c->toJs(c->out.Env(), *item));
        },
        &ctx);
    return ctx.out;
  }

  // purge(keepAddresses: string[]): entries deleted (the standby purge)
  Napi::Value Purge(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Array arr = info[0].As<Napi::Array>();
    std::vector<struct in_addr> keep;
    for (uint32_t i = 0; i < arr.Length(); i++) keep.push_back(Ipv4(env, arr.Get(i), "keep address"));
    tdm_err err{};
    int n = cts_engine_purge(Require(env), keep.data(), keep.size(), &err);
    if (n < 0) ThrowCoreError(env, "purge", err);
    return Napi::Number::New(env, n);
  }

  // { created, recreated, failed, failures: [{ entry, error }] } — the first failures only.
  Napi::Value Commit(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    tdm_err err{};
    auto res = std::make_unique<cts_commit_result>();
    if (cts_engine_commit(Require(env), res.get(), &err) < 0) ThrowCoreError(env, "commit", err);
    Napi::Object o = Napi::Object::New(env);
    o.Set("created", Napi::Number::New(env, static_cast<double>(res->created)));
    o.Set("recreated", Napi::Number::New(env, static_cast<double>(res->recreated)));
    o.Set("failed", Napi::Number::New(env, static_cast<double>(res->failed)));
    Napi::Array failures = Napi::Array::New(env, res->n_reported);
    for (size_t i = 0; i < res->n_reported; i++) {
      Napi::Object f = Napi::Object::New(env);
      f.Set("entry", CtsyncEntryToJs(env, res->reported[i].entry));
      f.Set("error", Napi::String::New(env, strerror(res->reported[i].error)));
      failures.Set(static_cast<uint32_t>(i), f);
    }
    o.Set("failures", failures);
    o.Set("expectationsCreated", Napi::Number::New(env, static_cast<double>(res->exp_created)));
    o.Set("expectationsFailed", Napi::Number::New(env, static_cast<double>(res->exp_failed)));
    Napi::Array expFailures = Napi::Array::New(env, res->n_exp_reported);
    for (size_t i = 0; i < res->n_exp_reported; i++) {
      Napi::Object f = Napi::Object::New(env);
      f.Set("expectation", CtsyncExpToJs(env, res->exp_reported[i].exp));
      f.Set("error", Napi::String::New(env, strerror(res->exp_reported[i].error)));
      expFailures.Set(static_cast<uint32_t>(i), f);
    }
    o.Set("expectationFailures", expFailures);
    return o;
  }

  Napi::Value Stop(const Napi::CallbackInfo& info) {
    cts_engine_stop(eng_);
    eng_ = nullptr;
    return info.Env().Undefined();
  }

  cts_engine* eng_ = nullptr;
};

}  // namespace

void RegisterCtsyncEngine(Napi::Env env, Napi::Object exports) {
  exports.Set("CtsyncEngine", CtsyncEngine::Define(env));
}

}  // namespace tandem
