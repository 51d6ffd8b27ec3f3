#include "cli/bench_command.hpp"

#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "api/datagram_protocol.hpp"
#include "base/files.hpp"
#include "bench/load_generator.hpp"
#include "cli/connection_options.hpp"
#include "cli/usage_error.hpp"
#include "pki/builtin_ec_method.hpp"
#include "tlshop/error.hpp"

namespace tlshop::cli {
namespace {

struct BenchOptions : ConnectionOptions {
  std::string mode = "requests", path = "/v1/hello", user, password_file, sku = "301";
  std::size_t connections = 16;
  unsigned threads = 0;
  double duration = 10, warmup = 2, rate = 0;
};

double milliseconds(std::chrono::nanoseconds value) {
  return static_cast<double>(value.count()) / 1e6;
}

boost::json::object result_json(const bench::BenchResult& result, const BenchOptions& options) {
  const bench::LatencyHistogram& latency = result.latency;
  boost::json::object json{
      {"mode", bench::mode_name(result.mode)},
      {"connections", options.connections},
      {"seconds", result.seconds},
      {"operations", result.operations},
      {"errors", result.errors},
      {"per_second", result.per_second()},
      {"offered_rate", options.rate},
      {"latency_ms", boost::json::object{{"p50", milliseconds(latency.percentile(0.5))},
                                         {"p90", milliseconds(latency.percentile(0.9))},
                                         {"p99", milliseconds(latency.percentile(0.99))},
                                         {"p99_9", milliseconds(latency.percentile(0.999))},
                                         {"max", milliseconds(latency.max())},
                                         {"mean", milliseconds(latency.mean())}}}};
  if (result.mode == bench::Mode::kResumed) json["resumed"] = result.resumed;
  if (result.mode == bench::Mode::kUdpRequests) json["retries"] = result.retries;
  return json;
}

void print_result(const bench::BenchResult& result, const BenchOptions& options) {
  const bench::LatencyHistogram& latency = result.latency;
  std::printf("mode        %s (%zu connections, %.1f s measured after %.1f s warm-up%s)\n",
              bench::mode_name(result.mode), options.connections, result.seconds, options.warmup,
              options.rate > 0
                  ? (", offered " + std::to_string(static_cast<long>(options.rate)) + "/s").c_str()
                  : "");
  std::printf("throughput  %.1f per second (%llu operations, %llu errors)\n", result.per_second(),
              static_cast<unsigned long long>(result.operations),
              static_cast<unsigned long long>(result.errors));
  std::printf("latency     p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms\n",
              milliseconds(latency.percentile(0.5)), milliseconds(latency.percentile(0.9)),
              milliseconds(latency.percentile(0.99)), milliseconds(latency.percentile(0.999)),
              milliseconds(latency.max()));
  if (result.mode == bench::Mode::kResumed) {
    std::printf("resumed     %llu of the measured handshakes\n",
                static_cast<unsigned long long>(result.resumed));
  }
  if (result.mode == bench::Mode::kUdpRequests) {
    std::printf("retries     %llu requests sent again, unanswered in time\n",
                static_cast<unsigned long long>(result.retries));
  }
}

}  // namespace

void add_bench_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* command = app.add_subcommand("bench",
                                         "load a server: handshakes, resumptions, requests (over "
                                         "TCP or UDP) or purchases per second, or idle "
                                         "connections");
  add_connection_options(*command, *options);
  command->add_option("--mode", options->mode,
                      "handshakes, resumed, requests (default), purchases, idle or "
                      "udp-requests (requests as datagrams over DTLS; --udp says the same)");
  command->add_option("--connections", options->connections, "concurrent connections (default 16)");
  command->add_option("--threads", options->threads, "threads (default: one per core)");
  command->add_option("--duration", options->duration, "seconds to measure (default 10)");
  command->add_option("--warmup", options->warmup, "seconds to run before measuring (default 2)");
  command->add_option("--rate", options->rate,
                      "operations per second to offer in all (default: as many as answered)");
  command->add_option("--path", options->path, "what to GET (default /v1/hello)");
  command->add_option("--user", options->user, "purchases: the user to log in as");
  command->add_option("--password-file", options->password_file, "purchases: the user's password");
  command->add_option("--sku", options->sku,
                      "purchases: the item to buy, one unit each time (default 301)");
  run_after_parsing(*command, action, [options] {
    bench::BenchSettings settings;
    auto mode = bench::parse_mode(options->mode);
    if (!mode) {
      throw UsageError(
          "--mode must be handshakes, resumed, requests, purchases, idle or udp-requests");
    }
    if (options->duration <= 0 || options->warmup < 0 || options->rate < 0) {
      throw UsageError("--duration must be above 0, --warmup and --rate at least 0");
    }
    settings.mode = *mode;
    settings.connection = options->settings();
    if (settings.connection.transport == client::Transport::kUdp) {
      if (settings.mode == bench::Mode::kRequests) settings.mode = bench::Mode::kUdpRequests;
      if (settings.mode != bench::Mode::kUdpRequests) {
        throw UsageError("over UDP (--udp, TLSHOP_TRANSPORT=udp) only requests are measured");
      }
    }
    if (settings.mode == bench::Mode::kUdpRequests) {
      try {
        api::datagram_equivalent("GET", options->path, "", "");
      } catch (const Error& e) {
        throw UsageError("--path " + options->path + " over UDP: " + e.what());
      }
    }
    settings.connections = options->connections;
    settings.threads = options->threads;
    settings.duration =
        std::chrono::milliseconds(static_cast<std::int64_t>(options->duration * 1000));
    settings.warmup = std::chrono::milliseconds(static_cast<std::int64_t>(options->warmup * 1000));
    settings.rate = options->rate;
    settings.path = options->path;
    settings.sku = options->sku;
    if (settings.mode == bench::Mode::kPurchases) {
      if (options->user.empty() || options->password_file.empty()) {
        throw UsageError("--mode purchases needs --user and --password-file");
      }
      settings.user = options->user;
      settings.password = read_password_file(options->password_file);
    }
    // The load generator parses the server's certificates on every full handshake: what
    // that costs is CPU a server on the same machine does not get. Where the method cannot
    // be used (FIPS), the providers do the same work.
    pki::use_builtin_ec_method(true);
    bool tty = ::isatty(STDERR_FILENO) != 0;
    bench::BenchResult result = bench::run_benchmark(settings, [tty](const bench::Progress& p) {
      std::fprintf(stderr, "%s[%5.1fs] %llu operations, %llu errors%s", tty ? "\r" : "", p.elapsed,
                   static_cast<unsigned long long>(p.operations),
                   static_cast<unsigned long long>(p.errors), tty ? "" : "\n");
    });
    if (tty) std::fprintf(stderr, "\n");
    if (options->json) {
      std::cout << boost::json::serialize(result_json(result, *options)) << "\n";
    } else {
      print_result(result, *options);
    }
  });
}

}  // namespace tlshop::cli
