// The center's HTTP API (WIRE.md, "HTTP"), as functions from a request's parts to a
// status and a JSON body, free of the HTTP library: center_server.cpp routes requests
// here. Every handler is thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/center/commit_queue.h"
#include "runtime/center/ingest_store.h"
#include "runtime/center/tokens.h"

namespace gemba::center {

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON; errors are {"error":"..."} (and more members for some)
  std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type
};

// Query parameters, the first value of each name.
using Params = std::map<std::string, std::string, std::less<>>;

inline constexpr std::size_t kDefaultPageLimit = 1000;
inline constexpr std::size_t kMaxPageLimit = 10000;

class CenterApi {
 public:
  CenterApi(IngestStore& store, const Tokens& tokens);

  // POST /v1/ingest. `authorization`: the header's value ("Bearer TOKEN"), empty if none.
  // 401 no or unknown token; 400 a batch parse_batch refuses; 403 a batch of another
  // plant than the token's; 409 a gap (with acked_seq); 503 the store failed; 200 the Ack,
  // once durable.
  ApiResponse ingest(std::string_view authorization, std::string_view body);
  // GET /v1/edges.
  ApiResponse edges() const;
  // GET /v1/samples?plant=P&signal=I.S[&from=T][&to=T][&limit=N].
  ApiResponse samples(const Params& params) const;
  // GET /v1/records?plant=P&edge=E[&after=SEQ][&limit=N].
  ApiResponse records(const Params& params) const;
  // GET /v1/health.
  ApiResponse health() const;

  CommitQueue::Stats commit_stats() const { return queue_.stats(); }

 private:
  IngestStore& store_;
  const Tokens& tokens_;
  CommitQueue queue_;
};

}  // namespace gemba::center
