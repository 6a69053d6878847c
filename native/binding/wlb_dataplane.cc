// WlbDataplane: the WAN load-balancing classifier's user-space side. Converts JS rule objects
// into the core's specs; everything else forwards to native/core/wlb.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "exports.h"
#include "wlb_dataplane.h"

namespace tandem {
namespace {

uint32_t U32(const Napi::Object& o, const char* key) { return o.Get(key).As<Napi::Number>().Uint32Value(); }
bool Bool(const Napi::Object& o, const char* key) { return o.Get(key).ToBoolean().Value(); }

// Everything one rule's spec points at, kept alive until the commit is written.
struct RuleStorage {
  std::vector<wlb_port_range> sports, dports;
  std::vector<int> inbound;
};

void ReadRange(const Napi::Object& rule, const char* key, uint32_t present, uint32_t negate, uint32_t* flags,
               uint32_t* lo, uint32_t* hi) {
  Napi::Value v = rule.Get(key);
  if (!v.IsObject()) return;
  Napi::Object r = v.As<Napi::Object>();
  *flags |= present | (Bool(r, "negate") ? negate : 0);
  *lo = U32(r, "from");
  *hi = U32(r, "to");
}

void ReadPorts(const Napi::Object& rule, const char* key, uint32_t present, uint32_t negate, uint32_t* flags,
               std::vector<wlb_port_range>* out) {
  Napi::Value v = rule.Get(key);
  if (!v.IsObject()) return;
  Napi::Object p = v.As<Napi::Object>();
  *flags |= present | (Bool(p, "negate") ? negate : 0);
  Napi::Array ranges = p.Get("ranges").As<Napi::Array>();
  for (uint32_t i = 0; i < ranges.Length(); i++) {
    Napi::Array r = ranges.Get(i).As<Napi::Array>();
    uint32_t lo = r.Get(0u).As<Napi::Number>().Uint32Value(), hi = r.Get(1u).As<Napi::Number>().Uint32Value();
    out->push_back({static_cast<uint16_t>(std::min(lo, 65535u)), static_cast<uint16_t>(std::min(hi, 65535u))});
  }
}

wlb_rule_spec ReadRule(const Napi::Object& o, RuleStorage* st) {
  wlb_rule_spec s{};
  s.number = U32(o, "number");
  if (Bool(o, "exclude")) s.flags |= WLB_R_EXCLUDE;
  if (Bool(o, "failover")) s.flags |= WLB_R_FAILOVER;
  if (Bool(o, "perPacket")) s.flags |= WLB_R_PER_PACKET;
  Napi::Value proto = o.Get("protocol");
  if (proto.IsNumber()) {
    s.flags |= WLB_R_PROTO | (Bool(o, "protocolNegate") ? WLB_R_PROTO_NEG : 0);
    s.proto = static_cast<uint8_t>(proto.As<Napi::Number>().Uint32Value());
  }
  ReadRange(o, "source", WLB_R_SADDR, WLB_R_SADDR_NEG, &s.flags, &s.saddr_lo, &s.saddr_hi);
  ReadRange(o, "destination", WLB_R_DADDR, WLB_R_DADDR_NEG, &s.flags, &s.daddr_lo, &s.daddr_hi);
  ReadPorts(o, "sourcePorts", WLB_R_SPORT, WLB_R_SPORT_NEG, &s.flags, &st->sports);
  ReadPorts(o, "destinationPorts", WLB_R_DPORT, WLB_R_DPORT_NEG, &s.flags, &st->dports);
  Napi::Array inbound = o.Get("inboundIfindexes").As<Napi::Array>();
  for (uint32_t i = 0; i < inbound.Length(); i++)
    st->inbound.push_back(static_cast<int>(inbound.Get(i).As<Napi::Number>().Int32Value()));
  Napi::Array pool = o.Get("pool").As<Napi::Array>();
  for (uint32_t i = 0; i < pool.Length() && i < WLB_MAX_POOL; i++) {
    Napi::Object m = pool.Get(i).As<Napi::Object>();
    s.pool[i].slot = static_cast<uint8_t>(U32(m, "slot"));
    s.pool[i].weight = static_cast<uint8_t>(U32(m, "weight"));
    s.pool_len = static_cast<uint8_t>(i + 1);
  }
  Napi::Value limit = o.Get("limit");
  if (limit.IsObject()) {
    Napi::Object l = limit.As<Napi::Object>();
    s.flags |= WLB_R_LIMIT | (Bool(l, "above") ? WLB_R_LIMIT_ABOVE : 0);
    double rate = std::max(1.0, l.Get("rate").As<Napi::Number>().DoubleValue());
    double period_ns = l.Get("periodSeconds").As<Napi::Number>().DoubleValue() * 1e9;
    double burst = std::max(1.0, l.Get("burst").As<Napi::Number>().DoubleValue());
    double per = std::max(1.0, std::floor(period_ns / rate));
    // Depth = burst tokens; capped well below 2^64 so credit + elapsed never wraps.
    double cap = std::min(per * burst, 4.0e18);
    s.ns_per_token = static_cast<uint64_t>(per);
    s.cap_ns = static_cast<uint64_t>(cap);
  }
  return s;
}

std::string Ipv4(uint32_t be) {
  const auto* b = reinterpret_cast<const unsigned char*>(&be);
  return std::to_string(b[0]) + "." + std::to_string(b[1]) + "." + std::to_string(b[2]) + "." +
         std::to_string(b[3]);
}

uint16_t Ntohs(uint16_t v) { return static_cast<uint16_t>((v >> 8) | (v << 8)); }

class WlbDataplane : public Napi::ObjectWrap<WlbDataplane> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "WlbDataplane",
                       {
                           InstanceMethod<&WlbDataplane::SetRules>("setRules"),
                           InstanceMethod<&WlbDataplane::SetActive>("setActive"),
                           InstanceMethod<&WlbDataplane::Attach>("attach"),
                           InstanceMethod<&WlbDataplane::ResetLimit>("resetLimit"),
                           InstanceMethod<&WlbDataplane::Totals>("totals"),
                           InstanceMethod<&WlbDataplane::Counters>("counters"),
                           InstanceMethod<&WlbDataplane::ClearCounters>("clearCounters"),
                           InstanceMethod<&WlbDataplane::Flows>("flows"),
                           InstanceMethod<&WlbDataplane::TestRun>("testRun"),
                           InstanceMethod<&WlbDataplane::Close>("close"),
                           StaticMethod<&WlbDataplane::Detach>("detach"),
                           StaticMethod<&WlbDataplane::AttachedId>("attachedProgramId"),
                       });
  }

  // new WlbDataplane(objectPath: string, pinRoot: string)
  explicit WlbDataplane(const Napi::CallbackInfo& info) : Napi::ObjectWrap<WlbDataplane>(info) {
    std::string path = info[0].As<Napi::String>();
    std::string pin_root = info[1].As<Napi::String>();
    tdm_err err{};
    dp_ = wlb_dp_open(path.c_str(), pin_root.c_str(), &err);
    if (!dp_) ThrowCoreError(info.Env(), "load", err);
  }

  ~WlbDataplane() override { wlb_dp_close(dp_); }

 private:
  wlb_dp* Require(Napi::Env env) {
    if (!dp_) throw Napi::Error::New(env, "WLB dataplane is closed");
    return dp_;
  }

  Napi::Value SetRules(const Napi::CallbackInfo& info) {
    Napi::Array arr = info[0].As<Napi::Array>();
    std::vector<RuleStorage> storage(arr.Length());
    std::vector<wlb_rule_spec> specs;
    for (uint32_t i = 0; i < arr.Length(); i++) {
      specs.push_back(ReadRule(arr.Get(i).As<Napi::Object>(), &storage[i]));
      wlb_rule_spec& s = specs.back();
      s.sports = storage[i].sports.data();
      s.n_sports = static_cast<uint32_t>(storage[i].sports.size());
      s.dports = storage[i].dports.data();
      s.n_dports = static_cast<uint32_t>(storage[i].dports.size());
      s.inbound = storage[i].inbound.data();
      s.n_inbound = static_cast<uint32_t>(storage[i].inbound.size());
    }
    tdm_err err{};
    if (wlb_dp_commit(Require(info.Env()), specs.data(), static_cast<uint32_t>(specs.size()), &err))
      ThrowCoreError(info.Env(), "rules", err);
    return info.Env().Undefined();
  }

  // setActive(slots: number[]): exactly these slots are ACTIVE.
  Napi::Value SetActive(const Napi::CallbackInfo& info) {
    Napi::Array slots = info[0].As<Napi::Array>();
    uint64_t mask = 0;
    for (uint32_t i = 0; i < slots.Length(); i++) {
      uint32_t s = slots.Get(i).As<Napi::Number>().Uint32Value();
      if (s < WLB_MAX_IFACES) mask |= 1ull << s;
    }
    tdm_err err{};
    if (wlb_dp_set_active(Require(info.Env()), mask, &err)) ThrowCoreError(info.Env(), "health", err);
    return info.Env().Undefined();
  }

  Napi::Value Attach(const Napi::CallbackInfo& info) {
    tdm_err err{};
    if (wlb_dp_attach(Require(info.Env()), info[0].As<Napi::Number>().Int32Value(), &err))
      ThrowCoreError(info.Env(), "attach", err);
    return info.Env().Undefined();
  }

  static Napi::Value Detach(const Napi::CallbackInfo& info) {
    tdm_err err{};
    if (wlb_dp_detach(info[0].As<Napi::Number>().Int32Value(), &err)) ThrowCoreError(info.Env(), "detach", err);
    return info.Env().Undefined();
  }

  static Napi::Value AttachedId(const Napi::CallbackInfo& info) {
    tdm_err err{};
    uint32_t id = 0;
    if (wlb_dp_attached_id(info[0].As<Napi::Number>().Int32Value(), &id, &err))
      ThrowCoreError(info.Env(), "query", err);
    return Napi::Number::New(info.Env(), id);
  }

  Napi::Value ResetLimit(const Napi::CallbackInfo& info) {
    tdm_err err{};
    if (wlb_dp_reset_limit(Require(info.Env()), info[0].As<Napi::Number>().Uint32Value(), &err))
      ThrowCoreError(info.Env(), "limit", err);
    return info.Env().Undefined();
  }

  static Napi::Object Counter(Napi::Env env, const wlb_counter& c) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("packets", Napi::Number::New(env, static_cast<double>(c.packets)));
    o.Set("bytes", Napi::Number::New(env, static_cast<double>(c.bytes)));
    return o;
  }

  Napi::Value Totals(const Napi::CallbackInfo& info) {
    tdm_err err{};
    wlb_counter c{};
    if (wlb_dp_totals(Require(info.Env()), &c, &err)) ThrowCoreError(info.Env(), "totals", err);
    return Counter(info.Env(), c);
  }

  // [{ rule, entry, packets, bytes }]
  Napi::Value Counters(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Array rows = Napi::Array::New(env);
    tdm_err err{};
    int rc = wlb_dp_each_counter(
        Require(env),
        [](const wlb_counter_key* k, const wlb_counter* c, void* ctx) {
          auto* a = static_cast<Napi::Array*>(ctx);
          Napi::Object o = Counter(a->Env(), *c);
          o.Set("rule", Napi::Number::New(a->Env(), k->rule));
          o.Set("entry", Napi::Number::New(a->Env(), k->entry));
          a->Set(a->Length(), o);
          return 0;
        },
        &rows, &err);
    if (rc) ThrowCoreError(env, "counters", err);
    return rows;
  }

  Napi::Value ClearCounters(const Napi::CallbackInfo& info) {
    tdm_err err{};
    if (wlb_dp_clear_counters(Require(info.Env()), &err)) ThrowCoreError(info.Env(), "counters", err);
    return info.Env().Undefined();
  }

  // [{ source, destination, sourcePort, destinationPort, protocol, rule, slot, perPacket, idleMs }]
  Napi::Value Flows(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    struct Ctx {
      Napi::Array rows;
      uint64_t now_ns;
    } ctx{Napi::Array::New(env), 0};
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ctx.now_ns = static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
    tdm_err err{};
    int rc = wlb_dp_each_flow(
        Require(env),
        [](const wlb_flow_key* k, const wlb_flow* f, void* p) {
          auto* c = static_cast<Ctx*>(p);
          Napi::Env e = c->rows.Env();
          Napi::Object o = Napi::Object::New(e);
          o.Set("source", Ipv4(k->saddr));
          o.Set("destination", Ipv4(k->daddr));
          o.Set("sourcePort", Napi::Number::New(e, Ntohs(k->sport)));
          o.Set("destinationPort", Napi::Number::New(e, Ntohs(k->dport)));
          o.Set("protocol", Napi::Number::New(e, k->proto));
          o.Set("rule", Napi::Number::New(e, f->rule));
          o.Set("slot", Napi::Number::New(e, f->slot));
          o.Set("perPacket", Napi::Boolean::New(e, f->per_packet != 0));
          o.Set("idleMs", Napi::Number::New(e, c->now_ns > f->last_ns ? (c->now_ns - f->last_ns) / 1e6 : 0));
          c->rows.Set(c->rows.Length(), o);
          return 0;
        },
        &ctx, &err);
    if (rc) ThrowCoreError(env, "flows", err);
    return ctx.rows;
  }

  // testRun(frame: Buffer, ingressIfindex: number, repeat: number) → { retval, nsPerPacket, mark }
  Napi::Value TestRun(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Buffer<uint8_t> frame = info[0].As<Napi::Buffer<uint8_t>>();
    wlb_test_result r{};
    tdm_err err{};
    if (wlb_dp_test_run(Require(env), frame.Data(), static_cast<uint32_t>(frame.Length()),
                        info[1].As<Napi::Number>().Int32Value(), info[2].As<Napi::Number>().Uint32Value(), &r,
                        &err))
      ThrowCoreError(env, "test-run", err);
    Napi::Object o = Napi::Object::New(env);
    o.Set("retval", Napi::Number::New(env, r.retval));
    o.Set("nsPerPacket", Napi::Number::New(env, r.ns_per_run));
    o.Set("mark", Napi::Number::New(env, r.mark));
    return o;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    wlb_dp_close(dp_);
    dp_ = nullptr;
    return info.Env().Undefined();
  }

  wlb_dp* dp_ = nullptr;
};

}  // namespace

void RegisterWlbDataplane(Napi::Env env, Napi::Object exports) {
  exports.Set("WlbDataplane", WlbDataplane::Define(env));
}

}  // namespace tandem
