// The operators' HTTP API at the edge: operator stations start the procedures of the
// published version, see each instance's open task as a station shows it, and answer
// it, on the durable engine (runtime/workflow/engine.h). Values are read and shown as
// the script declares them (runtime/console/value_text.h).
//
//   GET  /v1/procedures                 the published procedures and their parameters
//   POST /v1/procedures/NAME/start      {"args":{"lot":"L-1",...},"actor":"..."} -> 201
//   GET  /v1/instances[?open=true], /v1/instances/N   phase, transitions, the open task
//   POST /v1/instances/N/answer         {"answer":"950 cP","actor":"...","transition":T}
//   POST /v1/instances/N/hold|restart|abort   {"actor":"...","reason":"..."}
//
// JSON in and out; errors {"error": "..."} in the operator's words. Answers: 200
// applied; 400 not understood (what to type); 404 no such procedure or instance; 409
// refused, or stale (the task changed); 422 a run-time fault; 500 the engine could not
// commit. Every call that changes something names its `actor`; a signature is the
// actor's.
#pragma once

#include <string>

#include "runtime/console/operator_console.h"
#include "runtime/workflow/engine.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace gemba::edge {

class OperatorApi {
 public:
  // `simulated`: equipment commands are completed by the simulated controller, so a
  // command task is not for the operator to answer.
  OperatorApi(workflow::Engine& engine, std::string version, bool simulated);

  // The routes above. The server must be stopped before this object is destroyed.
  void register_routes(httplib::Server& server);

 private:
  void answer(const httplib::Request& req, httplib::Response& res);
  void control(const httplib::Request& req, httplib::Response& res);

  workflow::Engine& engine_;
  std::string version_;
  bool simulate_;
  console::EngineNames names_;
};

}  // namespace gemba::edge
