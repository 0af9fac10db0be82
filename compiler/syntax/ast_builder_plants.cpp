// Template parameters and plant models: `param`, `plant { ... }` and the equipment
// instances, shifts and bindings inside it.
#include "compiler/syntax/ast_builder.h"

namespace gemba::syntax {

ast::Own<ast::Decl> AstBuilder::param_decl(G::ParamDeclContext* ctx) {
  auto name = ident(token(ctx, G::ID));
  if (!name || ctx->typeRef() == nullptr) return nullptr;
  auto out = std::make_unique<ast::ParamDecl>(span(ctx));
  out->name = std::move(*name);
  out->type = type(ctx->typeRef());
  if (token(ctx, G::IN) != nullptr) {
    out->lo = expr(ctx->lo, end_of(ctx->typeRef()));
    out->hi = expr(ctx->hi, ctx->lo != nullptr ? end_of(ctx->lo) : end_of(ctx));
  }
  if (token(ctx, G::ASSIGN) != nullptr) out->value = expr(ctx->value, end_of(ctx));
  return out;
}

ast::Own<ast::Decl> AstBuilder::plant(G::PlantDeclContext* ctx) {
  auto name = ident(token(ctx, G::ID));
  if (!name) return nullptr;
  auto out = std::make_unique<ast::PlantDecl>(span(ctx));
  out->name = std::move(*name);
  if (Node* title = token(ctx, G::STRING)) out->title = string_literal(title, span(title))->value;
  for (auto* item : ctx->plantItem()) plant_item(item, *out);
  return out;
}

void AstBuilder::plant_item(G::PlantItemContext* ctx, ast::PlantDecl& out) {
  if (ctx == nullptr || ctx->exception != nullptr) return;
  if (auto* c = dynamic_cast<G::TimezoneItemContext*>(ctx)) {
    Node* zone = token(c, G::STRING);
    if (zone == nullptr) return;
    // A second `timezone` keeps the first; sema reports it through the span.
    if (out.timezone) {
      sink_.report(diag::Code::kDuplicateDefinition, span(c), "the plant already has a time zone")
          .note(out.timezone_span, "set here");
      return;
    }
    out.timezone = string_literal(zone, span(zone))->value;
    out.timezone_span = span(zone);
  } else if (auto* c = dynamic_cast<G::UnitsItemContext*>(ctx)) {
    for (auto* unit : c->unitExpr()) {
      if (auto built = unit_expr(unit)) out.units.push_back(std::move(built));
    }
  } else if (auto* c = dynamic_cast<G::PlantParamItemContext*>(ctx)) {
    auto name = ident(token(c, G::ID));
    if (!name) return;
    out.params.push_back({std::move(*name), expr(c->expr(), end_of(c)), span(c)});
  } else if (auto* c = dynamic_cast<G::BindItemContext*>(ctx)) {
    auto procedure = ident(token(c, G::ID));
    auto use = member_name(c->memberName());
    auto target = path(c->path());
    if (!procedure || !use || !target) return;
    out.bindings.push_back({std::move(*procedure), std::move(*use), std::move(*target), span(c)});
  } else if (auto* c = dynamic_cast<G::ShiftsItemContext*>(ctx)) {
    out.has_shifts = true;
    for (auto* def : c->shiftDef()) {
      if (auto built = shift(def)) out.shifts.push_back(std::move(*built));
    }
  } else if (auto* c = dynamic_cast<G::InstanceItemContext*>(ctx)) {
    if (auto built = instance(c->instanceDecl())) out.instances.push_back(std::move(built));
  }
}

std::optional<ast::ShiftDef> AstBuilder::shift(G::ShiftDefContext* ctx) {
  if (ctx == nullptr || ctx->exception != nullptr) return std::nullopt;
  auto name = ident(token(ctx, G::ID));
  auto clocks = ctx->clock();
  if (!name || clocks.size() != 2) return std::nullopt;
  auto start = clock(clocks[0]);
  auto end = clock(clocks[1]);
  if (!start || !end) return std::nullopt;
  return ast::ShiftDef{std::move(*name), *start, *end, span(ctx)};
}

// `06:00`: two digits, a colon, two digits, nothing between them; 24:00 is the end of
// the day.
std::optional<int> AstBuilder::clock(G::ClockContext* ctx) {
  if (ctx == nullptr || ctx->exception != nullptr) return std::nullopt;
  Node* hours = token(ctx, G::INT, 0);
  Node* minutes = token(ctx, G::INT, 1);
  if (hours == nullptr || minutes == nullptr) return std::nullopt;
  std::string h = text(hours);
  std::string m = text(minutes);
  diag::Span where = span(ctx);
  bool adjacent = where.end - where.begin == 5;
  bool digits = h.size() == 2 && m.size() == 2 && h.find('_') == std::string::npos &&
                m.find('_') == std::string::npos;
  int value = digits ? std::stoi(h) * 60 + std::stoi(m) : -1;
  if (!adjacent || !digits || std::stoi(m) > 59 || value > 24 * 60) {
    sink_
        .report(diag::Code::kBadClockTime, where,
                "`" + file_.text().substr(where.begin, where.end - where.begin) +
                    "` is not a clock time")
        .with_hint("write local clock times as hh:mm, from 00:00 to 24:00, e.g. `06:00`");
    return std::nullopt;
  }
  return value;
}

ast::Own<ast::InstanceDecl> AstBuilder::instance(G::InstanceDeclContext* ctx) {
  if (ctx == nullptr || ctx->exception != nullptr) return nullptr;
  auto class_name = ident(token(ctx, G::ID, 0));
  auto name = ident(token(ctx, G::ID, 1));
  if (!class_name || !name) return nullptr;
  auto out = std::make_unique<ast::InstanceDecl>();
  out->class_name = std::move(*class_name);
  out->name = std::move(*name);
  out->span = span(ctx);
  if (Node* title = token(ctx, G::STRING)) out->title = string_literal(title, span(title))->value;
  for (auto* member : ctx->instanceMember()) {
    if (member == nullptr || member->exception != nullptr) continue;
    if (auto* c = dynamic_cast<G::PropertyValueContext*>(member)) {
      if (auto name = member_name(c->memberName())) {
        out->values.push_back({std::move(*name), expr(c->expr(), end_of(c)), span(c)});
      }
    } else if (auto* c = dynamic_cast<G::SignalSourceContext*>(member)) {
      auto name = member_name(c->memberName());
      Node* address = token(c, G::STRING);
      if (!name || address == nullptr) continue;
      out->sources.push_back({std::move(*name), string_literal(address, span(address))->value,
                              span(address), span(c)});
    } else if (auto* c = dynamic_cast<G::ChildInstanceContext*>(member)) {
      if (auto child = instance(c->instanceDecl())) out->children.push_back(std::move(child));
    }
  }
  return out;
}

}  // namespace gemba::syntax
