#!/usr/bin/env bash
# The tlshop demo: builds tlshop, then shows the certificate authority at work in a fresh
# directory (./demo, or $TLSHOP_DEMO_DIR): a CA, a server and two client certificates,
# verification by tlshop and by openssl, a revocation and the CRL that records it.
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

step "Summary"
cat <<SUMMARY
CA directory:        $demo/ca  (trust anchor: ca/root.crt)
Server certificate:  $demo/localhost.crt (+ localhost.key, mode 0600)
Client certificates: $demo/alice.crt (valid), $demo/bob.crt (revoked)
CRL:                 $demo/ca/crl.pem

Try: $tlshop ca inspect $demo/alice.crt
     $tlshop ca --help
SUMMARY
