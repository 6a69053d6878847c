// Map access by fd: info, lookup, update, delete, next key, pin/unpin, close. Keys and values
// are Buffers of exactly the map's sizes; TypeScript gives them meaning.
#include <unistd.h>

#include <string>
#include <vector>

#include "bpf_map.h"
#include "exports.h"

namespace tandem {
namespace {

int FdArg(const Napi::CallbackInfo& info) { return info[0].As<Napi::Number>().Int32Value(); }

tdm_map_info InfoOf(Napi::Env env, int fd) {
  tdm_map_info mi{};
  tdm_err err{};
  if (tdm_map_get_info(fd, &mi, &err)) ThrowCoreError(env, "map info", err);
  return mi;
}

const uint8_t* SizedBuffer(Napi::Env env, Napi::Value v, size_t size, const char* what) {
  if (!v.IsBuffer()) throw Napi::TypeError::New(env, std::string(what) + " must be a Buffer");
  auto b = v.As<Napi::Buffer<uint8_t>>();
  if (b.Length() != size)
    throw Napi::RangeError::New(env, std::string(what) + " must be " + std::to_string(size) +
                                         " bytes, got " + std::to_string(b.Length()));
  return b.Data();
}

Napi::Value OpenPinned(const Napi::CallbackInfo& info) {
  std::string path = info[0].As<Napi::String>();
  tdm_err err{};
  int fd = tdm_map_open_pinned(path.c_str(), &err);
  if (fd < 0) ThrowCoreError(info.Env(), "open pinned map", err);
  return Napi::Number::New(info.Env(), fd);
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  tdm_map_info mi = InfoOf(env, FdArg(info));
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", mi.type);
  o.Set("keySize", mi.key_size);
  o.Set("valueSize", mi.value_size);
  o.Set("maxEntries", mi.max_entries);
  o.Set("id", mi.id);
  o.Set("valueBufferSize", mi.value_buffer_size);
  o.Set("perCpu", mi.per_cpu != 0);
  o.Set("name", mi.name);
  return o;
}

// lookup(fd, key): Buffer | null
Napi::Value Lookup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info);
  tdm_map_info mi = InfoOf(env, fd);
  const uint8_t* key = SizedBuffer(env, info[1], mi.key_size, "key");
  auto value = Napi::Buffer<uint8_t>::New(env, mi.value_buffer_size);
  tdm_err err{};
  int rc = tdm_map_lookup(fd, key, value.Data(), &err);
  if (rc < 0) ThrowCoreError(env, "map lookup", err);
  return rc == 1 ? env.Null() : value;
}

// update(fd, key, value, flags)
Napi::Value Update(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info);
  tdm_map_info mi = InfoOf(env, fd);
  const uint8_t* key = SizedBuffer(env, info[1], mi.key_size, "key");
  const uint8_t* value = SizedBuffer(env, info[2], mi.value_buffer_size, "value");
  uint64_t flags = info[3].IsNumber() ? info[3].As<Napi::Number>().Int64Value() : 0;
  tdm_err err{};
  if (tdm_map_update(fd, key, value, flags, &err)) ThrowCoreError(env, "map update", err);
  return env.Undefined();
}

// delete(fd, key): boolean (false when absent)
Napi::Value Delete(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info);
  tdm_map_info mi = InfoOf(env, fd);
  const uint8_t* key = SizedBuffer(env, info[1], mi.key_size, "key");
  tdm_err err{};
  int rc = tdm_map_delete(fd, key, &err);
  if (rc < 0) ThrowCoreError(env, "map delete", err);
  return Napi::Boolean::New(env, rc == 0);
}

// nextKey(fd, key | null): Buffer | null
Napi::Value NextKey(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info);
  tdm_map_info mi = InfoOf(env, fd);
  const uint8_t* key = info[1].IsNull() ? nullptr : SizedBuffer(env, info[1], mi.key_size, "key");
  auto next = Napi::Buffer<uint8_t>::New(env, mi.key_size);
  tdm_err err{};
  int rc = tdm_map_next_key(fd, key, next.Data(), &err);
  if (rc < 0) ThrowCoreError(env, "map next key", err);
  return rc == 1 ? env.Null() : next;
}

Napi::Value Pin(const Napi::CallbackInfo& info) {
  std::string path = info[1].As<Napi::String>();
  tdm_err err{};
  if (tdm_obj_pin(FdArg(info), path.c_str(), &err)) ThrowCoreError(info.Env(), "pin", err);
  return info.Env().Undefined();
}

Napi::Value Unpin(const Napi::CallbackInfo& info) {
  std::string path = info[0].As<Napi::String>();
  tdm_err err{};
  if (tdm_obj_unpin(path.c_str(), &err)) ThrowCoreError(info.Env(), "unpin", err);
  return info.Env().Undefined();
}

Napi::Value CloseFd(const Napi::CallbackInfo& info) {
  close(FdArg(info));
  return info.Env().Undefined();
}

Napi::Value PossibleCpus(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), tdm_num_possible_cpus());
}

}  // namespace

void RegisterBpfMap(Napi::Env env, Napi::Object exports) {
  exports.Set("mapOpenPinned", Napi::Function::New<OpenPinned>(env));
  exports.Set("mapInfo", Napi::Function::New<Info>(env));
  exports.Set("mapLookup", Napi::Function::New<Lookup>(env));
  exports.Set("mapUpdate", Napi::Function::New<Update>(env));
  exports.Set("mapDelete", Napi::Function::New<Delete>(env));
  exports.Set("mapNextKey", Napi::Function::New<NextKey>(env));
  exports.Set("objPin", Napi::Function::New<Pin>(env));
  exports.Set("objUnpin", Napi::Function::New<Unpin>(env));
  exports.Set("closeFd", Napi::Function::New<CloseFd>(env));
  exports.Set("possibleCpus", Napi::Function::New<PossibleCpus>(env));
}

}  // namespace tandem
