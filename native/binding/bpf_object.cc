// BpfObject: an opened eBPF object file. Programs and maps are handed out as fds; map fds are
// dup'ed so they stay valid after the object is closed.
#include <unistd.h>

#include <memory>
#include <string>

#include "bpf_object.h"
#include "bpf_test_run.h"
#include "exports.h"

namespace tandem {
namespace {

class BpfObject : public Napi::ObjectWrap<BpfObject> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "BpfObject",
                       {
                           InstanceMethod<&BpfObject::Load>("load"),
                           InstanceMethod<&BpfObject::ProgramFd>("programFd"),
                           InstanceMethod<&BpfObject::MapFd>("mapFd"),
                           InstanceMethod<&BpfObject::Names>("names"),
                           InstanceMethod<&BpfObject::TestRun>("testRun"),
                           InstanceMethod<&BpfObject::Close>("close"),
                       });
  }

  // new BpfObject(path: string, pinRoot?: string)
  explicit BpfObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<BpfObject>(info) {
    std::string path = info[0].As<Napi::String>();
    std::string pin_root = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
    tdm_err err{};
    obj_ = tdm_bpf_open(path.c_str(), pin_root.empty() ? nullptr : pin_root.c_str(), &err);
    if (!obj_) ThrowCoreError(info.Env(), "open", err);
  }

  ~BpfObject() override { tdm_bpf_close(obj_); }

 private:
  tdm_bpf_obj* Require(Napi::Env env) {
    if (!obj_) throw Napi::Error::New(env, "BPF object is closed");
    return obj_;
  }

  Napi::Value Load(const Napi::CallbackInfo& info) {
    tdm_err err{};
    if (tdm_bpf_load(Require(info.Env()), &err)) ThrowCoreError(info.Env(), "load", err);
    return info.Env().Undefined();
  }

  Napi::Value ProgramFd(const Napi::CallbackInfo& info) {
    std::string name = info[0].As<Napi::String>();
    tdm_err err{};
    int fd = tdm_bpf_prog_fd(Require(info.Env()), name.c_str(), &err);
    if (fd < 0) ThrowCoreError(info.Env(), "program", err);
    return Napi::Number::New(info.Env(), fd);
  }

  Napi::Value MapFd(const Napi::CallbackInfo& info) {
    std::string name = info[0].As<Napi::String>();
    tdm_err err{};
    int fd = tdm_bpf_map_fd(Require(info.Env()), name.c_str(), &err);
    if (fd < 0) ThrowCoreError(info.Env(), "map", err);
    int own = dup(fd);
    if (own < 0) {
      tdm_fail(&err, -errno, "dup map fd");
      ThrowCoreError(info.Env(), "map", err);
    }
    return Napi::Number::New(info.Env(), own);
  }

  // testRun(program: string, frame: Buffer, ingressIfindex: number, repeat: number, mark: number)
  //   → { retval, nsPerPacket, mark, frame }
  Napi::Value TestRun(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string name = info[0].As<Napi::String>();
    Napi::Buffer<uint8_t> frame = info[1].As<Napi::Buffer<uint8_t>>();
    tdm_err err{};
    int fd = tdm_bpf_prog_fd(Require(env), name.c_str(), &err);
    if (fd < 0) ThrowCoreError(env, "program", err);
    auto r = std::make_unique<tdm_test_result>();
    if (tdm_prog_test_run(fd, frame.Data(), static_cast<uint32_t>(frame.Length()), info[2].As<Napi::Number>().Int32Value(),
                          info[4].As<Napi::Number>().Uint32Value(), info[3].As<Napi::Number>().Uint32Value(), r.get(),
                          &err))
      ThrowCoreError(env, "test-run", err);
    Napi::Object o = Napi::Object::New(env);
    o.Set("retval", Napi::Number::New(env, r->retval));
    o.Set("nsPerPacket", Napi::Number::New(env, r->ns_per_run));
    o.Set("mark", Napi::Number::New(env, r->mark));
    o.Set("frame", Napi::Buffer<uint8_t>::Copy(env, r->frame_out, r->len_out));
    return o;
  }

  // { programs: string[], maps: string[] }
  Napi::Value Names(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    struct Lists {
      Napi::Array programs, maps;
    } lists{Napi::Array::New(env), Napi::Array::New(env)};
    tdm_bpf_each_name(
        Require(env),
        [](char kind, const char* name, void* ctx) {
          auto* l = static_cast<Lists*>(ctx);
          Napi::Array& a = kind == 'p' ? l->programs : l->maps;
          a.Set(a.Length(), Napi::String::New(a.Env(), name));
          return 0;
        },
        &lists);
    Napi::Object out = Napi::Object::New(env);
    out.Set("programs", lists.programs);
    out.Set("maps", lists.maps);
    return out;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    tdm_bpf_close(obj_);
    obj_ = nullptr;
    return info.Env().Undefined();
  }

  tdm_bpf_obj* obj_ = nullptr;
};

}  // namespace

void RegisterBpfObject(Napi::Env env, Napi::Object exports) {
  exports.Set("BpfObject", BpfObject::Define(env));
}

}  // namespace tandem
