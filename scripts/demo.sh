#!/usr/bin/env bash
# The tlshop demo: builds tlshop, then runs it end to end in a fresh directory (./demo,
# or $TLSHOP_DEMO_DIR): a CA with a server and two client certificates, a revocation,
# the server, and clients that are let in or refused: tlshop itself, curl, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release
tlshop=$PWD/build/release/src/cli/tlshop
demo=${TLSHOP_DEMO_DIR:-$PWD/demo}

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
run() {
  printf '$ %s\n' "$*" | sed "s#$tlshop#tlshop#g; s#$demo/##g"
  "$@"
}

rm -rf "$demo"
mkdir -p "$demo"
cd "$demo"

step "Create a certificate authority: a root and an intermediate signed by it"
run "$tlshop" ca init --dir ca --name "tlshop demo"

step "Issue a server certificate and two client certificates"
run "$tlshop" ca issue --dir ca --server localhost --san IP:127.0.0.1 --san IP:::1
run "$tlshop" ca issue --dir ca --client alice
run "$tlshop" ca issue --dir ca --client bob

step "Verify them with tlshop, each for its purpose"
run "$tlshop" ca verify --dir ca localhost.crt --purpose server
run "$tlshop" ca verify --dir ca alice.crt --purpose client
printf '(a server certificate is no client certificate:)\n'
run "$tlshop" ca verify --dir ca localhost.crt --purpose client || true

step "Revoke bob's certificate: the CRL is re-signed at once"
run "$tlshop" ca revoke --dir ca --cert bob.crt --reason keyCompromise
run "$tlshop" ca verify --dir ca bob.crt --purpose client || true

step "OpenSSL agrees"
run openssl verify -CAfile ca/root.crt -untrusted ca/intermediate.crt -purpose sslclient \
  -crl_check -CRLfile ca/crl.pem alice.crt
run openssl verify -CAfile ca/root.crt -untrusted ca/intermediate.crt -purpose sslclient \
  -crl_check -CRLfile ca/crl.pem bob.crt 2>&1 || true

step "What the CA has issued"
run "$tlshop" ca list --dir ca
run "$tlshop" ca inspect ca/crl.pem

step "Start the server: HTTPS that requires a client certificate from this CA"
server_log=$demo/server.log
"$tlshop" serve --listen 127.0.0.1:0 --cert localhost.crt --key localhost.key \
  --ca ca/ca-chain.crt --crl ca/crl.pem --data-dir data >"$demo/server.out" 2>"$server_log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$demo/server.out" 2>/dev/null && break
  sleep 0.1
done
cat "$demo/server.out"
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$demo/server.out" | head -n 1)
export TLSHOP_SERVER=localhost:$port TLSHOP_CA=$demo/ca/root.crt

step "alice says hello and leaves a message (tlshop client)"
run "$tlshop" hello --cert alice.crt --key alice.key
run "$tlshop" message send --cert alice.crt --key alice.key --content-type application/xml \
  "<device id='7'><temperature>21.5</temperature></device>"
run "$tlshop" message list --cert alice.crt --key alice.key

step "curl with alice's certificate, and without one"
run curl -sS --cacert ca/root.crt --cert alice.crt --key alice.key "https://localhost:$port/v1/hello"
echo
run curl -sS --cacert ca/root.crt "https://localhost:$port/v1/hello" || true

step "bob's certificate was revoked: refused at the handshake"
run "$tlshop" hello --cert bob.crt --key bob.key || true

step "The server's audit log says who was refused and why"
run tail -n 3 data/audit.log

kill -TERM "$server_pid"
wait "$server_pid" || true
trap - EXIT

step "Summary"
cat <<SUMMARY
CA directory:        $demo/ca  (trust anchor: ca/root.crt)
Server certificate:  $demo/localhost.crt (+ localhost.key, mode 0600)
Client certificates: $demo/alice.crt (valid), $demo/bob.crt (revoked)
CRL:                 $demo/ca/crl.pem
Server data, logs:   $demo/data/ (messages.jsonl, audit.log, access.log)

Run the server yourself and talk to it:
  cd $demo
  $tlshop serve --cert localhost.crt --key localhost.key --ca ca/ca-chain.crt --crl ca/crl.pem --data-dir data &
  $tlshop hello --ca ca/root.crt --cert alice.crt --key alice.key
  curl --cacert ca/root.crt --cert alice.crt --key alice.key https://localhost:5555/v1/hello
SUMMARY
