// The conntrack-sync wire codec for JavaScript: decode a received datagram, build messages. Used
// by the interop tests against conntrackd and by the engine's TypeScript side for inspection.
#include <arpa/inet.h>

#include <string>
#include <vector>

#include "ctsync_js.h"
#include "ctsync_msg.h"
#include "exports.h"

namespace tandem {
namespace {

std::string Address(uint8_t family, const uint8_t* a) {
  char text[INET6_ADDRSTRLEN] = "";
  inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, text, sizeof(text));
  return text;
}

bool ParseAddress(const std::string& text, uint8_t family, uint8_t* out) {
  return inet_pton(family == 6 ? AF_INET6 : AF_INET, text.c_str(), out) == 1;
}

// Names of the attributes a message carried, as conntrackd's NTA_* (lower case).
const char* const kAttrNames[CTS_A_MAX] = {
    "ipv4",        "ipv6",       "l4proto",       "port",          "tcpState",      "status",       "timeout",
    "mark",        "masterIpv4", "masterIpv6",    "masterL4proto", "masterPort",    "snatIpv4",     "dnatIpv4",
    "spatPort",    "dpatPort",   "natSeqAdj",     "sctpState",     "sctpVtagOrig",  "sctpVtagRepl", "dccpState",
    "dccpRole",    "icmpType",   "icmpCode",      "icmpId",        "tcpWscaleOrig", "tcpWscaleRepl", "helperName",
    "labels",      "snatIpv6",   "dnatIpv6",      "synproxy",      "zone",
};


// ctsyncDecode(datagram) → { messages: [{ type, flags, seq, from, to, entry?, error? }], malformed }
Napi::Value Decode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Buffer<uint8_t> buf = info[0].As<Napi::Buffer<uint8_t>>();
  struct Ctx {
    Napi::Env env;
    Napi::Array messages;
  } ctx{env, Napi::Array::New(env)};
  cts_rx_stats stats{};
  cts_datagram_walk(
      buf.Data(), buf.Length(),
      [](const cts_hdr* h, const uint8_t* payload, size_t plen, void* p) {
        auto* c = static_cast<Ctx*>(p);
        Napi::Object m = Napi::Object::New(c->env);
        m.Set("type", h->type);
        m.Set("flags", h->flags);
        m.Set("seq", h->seq);
        m.Set("from", h->from);
        m.Set("to", h->to);
        if (h->type <= CTS_CT_DEL) {
          cts_entry e;
          int rc = cts_entry_decode(payload, plen, &e);
          if (rc == CTS_OK)
            m.Set("entry", CtsyncEntryToJs(c->env, e));
          else
            m.Set("error", cts_strerror(rc));
        } else if (h->type <= CTS_EXP_DEL) {
          cts_exp x;
          int rc = cts_exp_decode(payload, plen, &x);
          if (rc == CTS_OK)
            m.Set("expectation", CtsyncExpToJs(c->env, x));
          else
            m.Set("error", cts_strerror(rc));
        }
        c->messages.Set(c->messages.Length(), m);
      },
      &ctx, &stats);
  Napi::Object out = Napi::Object::New(env);
  out.Set("messages", ctx.messages);
  out.Set("malformed", static_cast<double>(stats.malformed));
  return out;
}

uint32_t U32(const Napi::Object& o, const char* k) {
  Napi::Value v = o.Get(k);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : 0;
}

// ctsyncEncodeEntry(type, flags, seq, entry) → Buffer. entry: { family, l4proto, source, destination,
// sourcePort?, destinationPort?, tcpState?, status?, timeout?, mark?, snatIpv4?, spatPort? }
Napi::Value EncodeEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = info[3].As<Napi::Object>();
  cts_entry e{};
  e.family = static_cast<uint8_t>(U32(o, "family") == 6 ? 6 : 4);
  e.l4proto = static_cast<uint8_t>(U32(o, "l4proto"));
  if (!ParseAddress(o.Get("source").ToString(), e.family, e.src) ||
      !ParseAddress(o.Get("destination").ToString(), e.family, e.dst))
    throw Napi::Error::New(env, "ctsyncEncodeEntry: bad address");
  e.present = 1ull << (e.family == 6 ? CTS_A_IPV6 : CTS_A_IPV4) | 1ull << CTS_A_L4PROTO;
  auto set = [&](const char* key, unsigned attr) {
    if (!o.Has(key)) return false;
    e.present |= 1ull << attr;
    return true;
  };
  if (set("sourcePort", CTS_A_PORT)) {
    e.sport = static_cast<uint16_t>(U32(o, "sourcePort"));
    e.dport = static_cast<uint16_t>(U32(o, "destinationPort"));
  }
  if (set("tcpState", CTS_A_TCP_STATE)) e.tcp_state = static_cast<uint8_t>(U32(o, "tcpState"));
  if (set("status", CTS_A_STATUS)) e.status = U32(o, "status");
  if (set("timeout", CTS_A_TIMEOUT)) e.timeout = U32(o, "timeout");
  if (set("mark", CTS_A_MARK)) e.mark = U32(o, "mark");
  if (set("snatIpv4", CTS_A_SNAT_IPV4) && !ParseAddress(o.Get("snatIpv4").ToString(), 4, e.snat_ipv4))
    throw Napi::Error::New(env, "ctsyncEncodeEntry: bad snatIpv4");
  if (set("spatPort", CTS_A_SPAT_PORT)) e.spat_port = static_cast<uint16_t>(U32(o, "spatPort"));
  std::vector<uint8_t> out(65536);
  size_t n = cts_build_entry(out.data(), out.size(), static_cast<cts_type>(info[0].As<Napi::Number>().Uint32Value()),
                             static_cast<uint8_t>(info[1].As<Napi::Number>().Uint32Value()),
                             info[2].As<Napi::Number>().Uint32Value(), &e);
  return Napi::Buffer<uint8_t>::Copy(env, out.data(), n);
}

// ctsyncEncodeControl(flags, seq, from, to) → Buffer
Napi::Value EncodeControl(const Napi::CallbackInfo& info) {
  uint8_t out[CTS_ACK_HDR_LEN];
  size_t n = cts_build_ctl(out, sizeof(out), static_cast<uint8_t>(info[0].As<Napi::Number>().Uint32Value()),
                           info[1].As<Napi::Number>().Uint32Value(), info[2].As<Napi::Number>().Uint32Value(),
                           info[3].As<Napi::Number>().Uint32Value());
  return Napi::Buffer<uint8_t>::Copy(info.Env(), out, n);
}

}  // namespace

// Only the attributes the entry carries: an absent NAT binding must not read as 0.0.0.0:0.
Napi::Object CtsyncEntryToJs(Napi::Env env, const cts_entry& e) {
  Napi::Object o = Napi::Object::New(env);
  Napi::Array attrs = Napi::Array::New(env);
  for (unsigned a = 0; a < CTS_A_MAX; a++)
    if (CTS_HAS(&e, a)) attrs.Set(attrs.Length(), kAttrNames[a]);
  o.Set("attributes", attrs);
  o.Set("family", e.family);
  o.Set("l4proto", e.l4proto);
  o.Set("source", Address(e.family, e.src));
  o.Set("destination", Address(e.family, e.dst));
  auto set = [&](unsigned attr, const char* name, Napi::Value v) {
    if (CTS_HAS(&e, attr)) o.Set(name, v);
  };
  auto num = [&](double v) { return Napi::Number::New(env, v); };
  set(CTS_A_PORT, "sourcePort", num(e.sport));
  set(CTS_A_PORT, "destinationPort", num(e.dport));
  set(CTS_A_TCP_STATE, "tcpState", num(e.tcp_state));
  set(CTS_A_STATUS, "status", num(e.status));
  set(CTS_A_TIMEOUT, "timeout", num(e.timeout));
  set(CTS_A_MARK, "mark", num(e.mark));
  set(CTS_A_SNAT_IPV4, "snatIpv4", Napi::String::New(env, Address(4, e.snat_ipv4)));
  set(CTS_A_DNAT_IPV4, "dnatIpv4", Napi::String::New(env, Address(4, e.dnat_ipv4)));
  set(CTS_A_SPAT_PORT, "spatPort", num(e.spat_port));
  set(CTS_A_DPAT_PORT, "dpatPort", num(e.dpat_port));
  set(CTS_A_ICMP_TYPE, "icmpType", num(e.icmp_type));
  set(CTS_A_ICMP_CODE, "icmpCode", num(e.icmp_code));
  set(CTS_A_ICMP_ID, "icmpId", num(e.icmp_id));
  set(CTS_A_ZONE, "zone", num(e.zone));
  set(CTS_A_HELPER_NAME, "helper", Napi::String::New(env, e.helper));
  return o;
}

// { family, l4proto, source, destination, sourcePort?, destinationPort? } of one tuple.
static Napi::Object TupleToJs(Napi::Env env, const cts_tuple& t, bool ports) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("family", t.family);
  o.Set("l4proto", t.l4proto);
  o.Set("source", Address(t.family, t.src));
  o.Set("destination", Address(t.family, t.dst));
  if (ports) {
    o.Set("sourcePort", t.sport);
    o.Set("destinationPort", t.dport);
  }
  return o;
}

// { helper?, master, expected, mask?, nat?, natDir?, timeout?, flags?, class?, fn? }
Napi::Object CtsyncExpToJs(Napi::Env env, const cts_exp& x) {
  Napi::Object o = Napi::Object::New(env);
  auto has = [&](unsigned a) { return CTS_HAS(&x, a) != 0; };
  o.Set("master", TupleToJs(env, x.master, has(CTS_X_MASTER_PORT)));
  o.Set("expected", TupleToJs(env, x.expect, has(CTS_X_EXPECT_PORT)));
  if (x.mask.family) o.Set("mask", TupleToJs(env, x.mask, has(CTS_X_MASK_PORT)));
  if (x.nat.family) o.Set("nat", TupleToJs(env, x.nat, has(CTS_X_NAT_PORT)));
  if (has(CTS_X_NAT_DIR)) o.Set("natDir", x.nat_dir);
  if (has(CTS_X_TIMEOUT)) o.Set("timeout", x.timeout);
  if (has(CTS_X_FLAGS)) o.Set("flags", x.flags);
  if (has(CTS_X_CLASS)) o.Set("class", x.klass);
  if (has(CTS_X_HELPER_NAME)) o.Set("helper", std::string(x.helper));
  if (has(CTS_X_FN)) o.Set("fn", std::string(x.fn));
  return o;
}

void RegisterCtsyncCodec(Napi::Env env, Napi::Object exports) {
  exports.Set("ctsyncDecode", Napi::Function::New(env, Decode));
  exports.Set("ctsyncEncodeEntry", Napi::Function::New(env, EncodeEntry));
  exports.Set("ctsyncEncodeControl", Napi::Function::New(env, EncodeControl));
}

}  // namespace tandem
