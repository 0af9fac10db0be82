// Module scopes, name lookup, and the declaration and lazy resolution of module-level
// names (dimensions, units, enums, roles, equipment classes, callables).
#include <cassert>
#include <set>

#include "compiler/diag/closest_name.h"

#include "compiler/sema/checker.h"

namespace gemba::sema {
namespace {

using diag::Code;

// Restores the checker's module and local scopes after resolving a name declared
// elsewhere: a module-level entity is resolved in the scope of its own module.
class ResolutionScope {
 public:
  ResolutionScope(Checker& checker, std::size_t module)
      : checker_(checker), saved_module_(checker.current_), saved_locals_(checker.locals_) {
    checker_.current_ = module;
    checker_.locals_.clear();
  }
  ~ResolutionScope() {
    checker_.current_ = saved_module_;
    checker_.locals_ = std::move(saved_locals_);
  }

 private:
  Checker& checker_;
  std::size_t saved_module_;
  std::vector<std::vector<Symbol*>> saved_locals_;
};

SymbolKind kind_of(const ast::Decl& decl) {
  switch (decl.kind) {
    case ast::DeclKind::kDimension:
      return SymbolKind::kDimension;
    case ast::DeclKind::kUnit:
      return SymbolKind::kUnit;
    case ast::DeclKind::kEnum:
      return SymbolKind::kEnum;
    case ast::DeclKind::kRole:
      return SymbolKind::kRole;
    case ast::DeclKind::kEquipmentClass:
      return SymbolKind::kClass;
    case ast::DeclKind::kFunction:
      return SymbolKind::kFunction;
    case ast::DeclKind::kProcedure:
      return SymbolKind::kProcedure;
    case ast::DeclKind::kKpi:
      return SymbolKind::kKpi;
    case ast::DeclKind::kParam:
      return SymbolKind::kParam;
    case ast::DeclKind::kPlant:
      return SymbolKind::kPlant;
    case ast::DeclKind::kLimit:
    case ast::DeclKind::kCollect:
      break;
  }
  return SymbolKind::kLocal;  // not a named declaration
}

const ast::Ident* name_of(const ast::Decl& decl) {
  if (auto* d = ast::as<ast::DimensionDecl>(&decl)) return &d->name;
  if (auto* d = ast::as<ast::UnitDecl>(&decl)) return &d->name;
  if (auto* d = ast::as<ast::EnumDecl>(&decl)) return &d->name;
  if (auto* d = ast::as<ast::RoleDecl>(&decl)) return &d->name;
  if (auto* d = ast::as<ast::EquipmentClassDecl>(&decl)) return &d->name;
  if (auto* d = ast::as<ast::FunctionDecl>(&decl)) return &d->name;
  if (auto* d = ast::as<ast::ProcedureDecl>(&decl)) return &d->name;
  if (auto* d = ast::as<ast::KpiDecl>(&decl)) return &d->name;
  if (auto* d = ast::as<ast::ParamDecl>(&decl)) return &d->name;
  if (auto* d = ast::as<ast::PlantDecl>(&decl)) return &d->name;
  return nullptr;
}

}  // namespace

const char* kind_name(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::kBuiltinType:
      return "type";
    case SymbolKind::kDimension:
      return "dimension";
    case SymbolKind::kUnit:
      return "unit";
    case SymbolKind::kEnum:
      return "enumeration";
    case SymbolKind::kRole:
      return "role";
    case SymbolKind::kClass:
      return "equipment class";
    case SymbolKind::kFunction:
      return "function";
    case SymbolKind::kKpi:
      return "KPI";
    case SymbolKind::kProcedure:
      return "procedure";
    case SymbolKind::kParam:
      return "template parameter";
    case SymbolKind::kPlant:
      return "plant";
    case SymbolKind::kLocal:
      return "binding";
  }
  return "name";
}

std::string a_kind(SymbolKind kind) {
  // By sound, not by letter: "a unit", "an enumeration", "a KPI".
  bool an = kind == SymbolKind::kEnum || kind == SymbolKind::kClass;
  return (an ? "an " : "a ") + std::string(kind_name(kind));
}

Checker::Checker(const std::vector<ModuleInput>& modules, diag::DiagnosticSink& sink)
    : modules_(modules), sink_(sink) {
  auto builtin = [&](const char* name, Type type) {
    Symbol& s = symbols_.emplace_back();
    s.kind = SymbolKind::kBuiltinType;
    s.name = name;
    s.type = std::move(type);
    s.resolution = Resolution::kDone;
    prelude_[name] = &s;
  };
  builtin("bool", Type::of(TypeKind::kBool));
  builtin("int", Type::of(TypeKind::kInt));
  builtin("real", Type::real());
  builtin("string", Type::of(TypeKind::kString));
  builtin("time", Type::of(TypeKind::kTime));
  builtin("Material", Type::of(TypeKind::kMaterial));
  builtin("Lot", Type::of(TypeKind::kLot));
  scopes_.resize(modules.size());
}

void Checker::declare(std::size_t module, SymbolKind kind, const ast::Ident& name,
                      const ast::Decl* decl) {
  ModuleScope& scope = scopes_[module];
  if (auto it = scope.names.find(name.name); it != scope.names.end()) {
    sink_
        .report(Code::kDuplicateDefinition, name.span,
                "`" + name.name + "` is already defined in this module")
        .note(it->second->span, "the first definition of `" + name.name + "` is here")
        .with_hint("rename one of them");
    return;
  }
  if (prelude_.count(name.name)) {
    sink_
        .report(Code::kDuplicateDefinition, name.span,
                "`" + name.name + "` is a built-in type and cannot be redefined")
        .with_hint("choose another name");
    return;
  }
  Symbol& s = symbols_.emplace_back();
  s.kind = kind;
  s.name = name.name;
  s.span = name.span;
  s.module = module;
  s.decl = decl;
  scope.names[name.name] = &s;
  by_decl_[decl] = &s;
}

void Checker::declare_module(std::size_t index) {
  ModuleScope& scope = scopes_[index];
  scope.input = &modules_[index];
  scope.import_used.assign(scope.input->imports.size(), false);
  for (const auto& decl : scope.input->ast->decls) {
    if (const ast::Ident* name = name_of(*decl)) declare(index, kind_of(*decl), *name, decl.get());
  }
}

Symbol* Checker::lookup(const ast::Ident& name, bool report) {
  last_lookup_ambiguous_ = false;
  for (auto scope = locals_.rbegin(); scope != locals_.rend(); ++scope) {
    for (auto it = scope->rbegin(); it != scope->rend(); ++it) {
      if ((*it)->name == name.name) return *it;
    }
  }
  ModuleScope& module = scopes_[current_];
  if (auto it = module.names.find(name.name); it != module.names.end()) return it->second;

  Symbol* found = nullptr;
  std::vector<std::size_t> providers;
  const auto& imports = module.input->imports;
  for (std::size_t i = 0; i < imports.size(); ++i) {
    const ModuleScope& imported = scopes_[imports[i].module];
    auto it = imported.names.find(name.name);
    if (it == imported.names.end()) continue;
    module.import_used[i] = true;
    if (found && found != it->second) {
      last_lookup_ambiguous_ = true;
      {
        sink_
            .report(Code::kAmbiguousName, name.span,
                    "`" + name.name + "` is defined by more than one imported module")
            .note(found->span, "one definition is in module `" + modules_[found->module].name + "`")
            .note(it->second->span,
                  "another is in module `" + modules_[it->second->module].name + "`")
            .with_hint("define `" + name.name +
                       "` in this module to choose, or import only one of them");
      }
      return nullptr;
    }
    found = it->second;
  }
  if (found) return found;
  if (auto it = prelude_.find(name.name); it != prelude_.end()) return it->second;
  if (report) {
    auto& d = sink_.report(Code::kUndefinedName, name.span, "`" + name.name + "` is not defined");
    suggest(d, name.name, [](const Symbol& s) { return s.kind != SymbolKind::kRole; });
    if (d.hint.empty() && imports.empty() && !modules_[current_].is_stdlib) {
      d.with_hint("units, equipment classes and KPIs come from imports, e.g. `import std.units;`");
    }
  }
  return nullptr;
}

std::vector<std::string> Checker::visible_names(bool (*keep)(const Symbol&)) {
  std::vector<std::string> names;
  auto add = [&](const Symbol* s) {
    if (keep(*s)) names.push_back(s->name);
  };
  for (const auto& scope : locals_) {
    for (const Symbol* s : scope) add(s);
  }
  const ModuleScope& module = scopes_[current_];
  for (const auto& [name, s] : module.names) add(s);
  for (const auto& import : module.input->imports) {
    for (const auto& [name, s] : scopes_[import.module].names) add(s);
  }
  for (const auto& [name, s] : prelude_) add(s);
  return names;
}

void Checker::suggest(diag::Diagnostic& d, const std::string& name, bool (*keep)(const Symbol&)) {
  if (auto guess = diag::closest_name(name, visible_names(keep))) {
    d.with_hint("did you mean `" + *guess + "`?");
  }
}

void Checker::resolve(Symbol* symbol) {
  if (!symbol || symbol->resolution == Resolution::kDone) return;
  if (symbol->resolution == Resolution::kResolving) return;  // the caller reports cycles
  ResolutionScope scope(*this, symbol->module);
  symbol->resolution = Resolution::kResolving;
  switch (symbol->kind) {
    case SymbolKind::kDimension:
      resolve_dimension(symbol);
      break;
    case SymbolKind::kUnit:
      resolve_unit(symbol);
      break;
    case SymbolKind::kClass:
      resolve_class(symbol);
      break;
    case SymbolKind::kEnum:
      resolve_enum(symbol);
      break;
    case SymbolKind::kFunction:
    case SymbolKind::kKpi:
    case SymbolKind::kProcedure:
      resolve_signature(symbol);
      break;
    case SymbolKind::kParam:
      resolve_param(symbol);
      break;
    case SymbolKind::kPlant:
    case SymbolKind::kBuiltinType:
    case SymbolKind::kRole:
    case SymbolKind::kLocal:
      break;
  }
  symbol->resolution = Resolution::kDone;
}

void Checker::resolve_dimension(Symbol* symbol) {
  const auto& decl = static_cast<const ast::DimensionDecl&>(*symbol->decl);
  if (!decl.definition) {
    auto index = dimensions_.add_base(symbol->name);
    if (!index) {
      sink_
          .report(Code::kTooManyDimensions, decl.name.span,
                  "too many base dimensions: at most " + std::to_string(kMaxBaseDimensions) +
                      " are supported")
          .with_hint("define `" + symbol->name + "` from existing dimensions, e.g. `dimension " +
                     symbol->name + " = mass / length;`");
      return;
    }
    symbol->dimension = Dimension::base(*index);
    return;
  }
  auto unit = eval_unit(*decl.definition, /*numbers=*/false, /*dimensions=*/true);
  if (!unit) return;
  symbol->dimension = unit->dimension();
  dimensions_.add_named(symbol->name, symbol->dimension);
}

void Checker::resolve_enum(Symbol* symbol) {
  const auto& decl = static_cast<const ast::EnumDecl&>(*symbol->decl);
  symbol->enum_info.name = symbol->name;
  std::map<std::string, diag::Span> seen;
  for (const auto& member : decl.members) {
    auto [it, fresh] = seen.emplace(member.name, member.span);
    if (!fresh) {
      sink_
          .report(Code::kDuplicateDefinition, member.span,
                  "`" + member.name + "` is already a member of `" + symbol->name + "`")
          .note(it->second, "the first `" + member.name + "` is here");
      continue;
    }
    symbol->enum_info.members.push_back(member.name);
  }
}

void Checker::resolve_class(Symbol* symbol) {
  const auto& decl = static_cast<const ast::EquipmentClassDecl&>(*symbol->decl);
  ClassInfo& info = symbol->class_info;
  info.name = symbol->name;
  if (decl.base) {
    Symbol* base = lookup(*decl.base);
    if (base && base->kind != SymbolKind::kClass) {
      sink_
          .report(Code::kNotAnEquipmentClass, decl.base->span,
                  "`" + base->name + "` is " + a_kind(base->kind) + ", not an equipment class")
          .note(base->span, "`" + base->name + "` is declared here");
    } else if (base && base->resolution == Resolution::kResolving) {
      sink_
          .report(Code::kInheritanceCycle, decl.base->span,
                  "equipment class `" + symbol->name + "` extends itself" +
                      (base == symbol ? std::string() : " through `" + base->name + "`"))
          .with_hint("remove `: " + base->name + "` or another link of the cycle");
    } else if (base) {
      resolve(base);
      info.base = &base->class_info;
    }
  }
  for (const auto& member : decl.members) {
    MemberInfo m;
    m.kind = member.kind;
    m.name = member.name.name;
    m.span = member.name.span;
    if (member.type) m.type = resolve_type(*member.type);
    std::vector<ParamInfo> params = resolve_params(member.params);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const ast::Param& written = member.params[i];
      m.params.push_back({params[i].name, params[i].type, written.lo.get(), written.hi.get()});
      if (written.lo) check_command_range(decl, info, written, params[i].type);
    }
    const MemberInfo* inherited = info.base ? info.base->find(m.name) : nullptr;
    auto [it, fresh] = info.members.emplace(m.name, m);
    if (!fresh || inherited) {
      diag::Span first = fresh ? inherited->span : it->second.span;
      sink_
          .report(Code::kDuplicateDefinition, member.name.span,
                  "equipment class `" + symbol->name + "` already has a member `" + m.name + "`")
          .note(first, fresh ? "inherited from here" : "the first `" + m.name + "` is here");
    }
  }
}

// The bounds of a command parameter's range see the class's properties, own and
// inherited, by name.
void Checker::check_command_range(const ast::EquipmentClassDecl& decl, const ClassInfo& info,
                                  const ast::Param& param, const Type& type) {
  push_scope();
  std::set<std::string> names;
  auto add = [&](const ast::Ident& name, const Type& property) {
    if (!names.insert(name.name).second) return;
    add_local(name, LocalKind::kProperty, property)->used = true;
  };
  for (const auto& member : decl.members) {
    if (member.kind == ast::ClassMember::Kind::kProperty && member.type) {
      add(member.name, facts_.written_types.count(member.type.get())
                           ? facts_.written_types.at(member.type.get())
                           : resolve_type(*member.type));
    }
  }
  for (const ClassInfo* base = info.base; base != nullptr; base = base->base) {
    for (const auto& [name, member] : base->members) {
      if (member.kind == ast::ClassMember::Kind::kProperty) add({name, member.span}, member.type);
    }
  }
  BodyContext ctx{Place::kExpression, nullptr};
  if (expect(type, check_expr(param.lo.get(), ctx), param.lo->span, "the lower bound") &&
      expect(type, check_expr(param.hi.get(), ctx), param.hi->span, "the upper bound")) {
    check_range(param.lo.get(), param.hi.get(),
                {param.lo->span.file, param.lo->span.begin, param.hi->span.end});
  }
  pop_scope();
}

std::vector<ParamInfo> Checker::resolve_params(const std::vector<ast::Param>& params) {
  std::vector<ParamInfo> out;
  std::map<std::string, diag::Span> seen;
  for (const auto& param : params) {
    auto [it, fresh] = seen.emplace(param.name.name, param.name.span);
    if (!fresh) {
      sink_
          .report(Code::kDuplicateDefinition, param.name.span,
                  "parameter `" + param.name.name + "` is declared twice")
          .note(it->second, "the first `" + param.name.name + "` is here");
    }
    out.push_back({param.name.name, param.type ? resolve_type(*param.type) : Type()});
  }
  return out;
}

void Checker::resolve_signature(Symbol* symbol) {
  if (auto* fn = ast::as<ast::FunctionDecl>(symbol->decl)) {
    symbol->params = resolve_params(fn->params);
    symbol->result = fn->result ? resolve_type(*fn->result) : Type();
  } else if (auto* kpi = ast::as<ast::KpiDecl>(symbol->decl)) {
    symbol->params = resolve_params(kpi->params);
    // An undeclared result type is inferred when the body is checked; until then a
    // caller sees kError (accepted everywhere, reported nowhere).
    symbol->result = kpi->result ? resolve_type(*kpi->result) : Type();
  } else if (auto* proc = ast::as<ast::ProcedureDecl>(symbol->decl)) {
    symbol->params = resolve_params(proc->params);
    for (const auto& use : proc->uses) {
      Type t;
      if (Symbol* cls = lookup(use.equipment_class, /*report=*/false);
          cls && cls->kind == SymbolKind::kClass) {
        resolve(cls);
        t.kind = TypeKind::kEquipment;
        t.equipment = &cls->class_info;
      }
      symbol->params.push_back({use.name.name, t});
    }
  }
}

const MemberInfo* ClassInfo::find(const std::string& member) const {
  for (const ClassInfo* c = this; c; c = c->base) {
    if (auto it = c->members.find(member); it != c->members.end()) return &it->second;
  }
  return nullptr;
}

std::vector<std::string> ClassInfo::member_names() const {
  std::vector<std::string> names;
  for (const ClassInfo* c = this; c; c = c->base) {
    for (const auto& [name, member] : c->members) names.push_back(name);
  }
  return names;
}

bool ClassInfo::is_a(const ClassInfo* other) const {
  for (const ClassInfo* c = this; c; c = c->base) {
    if (c == other) return true;
  }
  return false;
}

}  // namespace gemba::sema
