#!/usr/bin/env bash
# The tlshop demo: builds tlshop, then runs the whole system in a fresh directory
# (./demo, or $TLSHOP_DEMO_DIR): a CA with a server and two client certificates, a
# revocation, shop users, the server on port 5555, a client session that browses, buys
# and prints the receipt, the same through curl, and clients refused at the handshake.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release
tlshop=$PWD/build/release/src/cli/tlshop
gui=$PWD/build/release/src/gui/tlshop-gui
demo=${TLSHOP_DEMO_DIR:-$PWD/demo}

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
run() {
  printf '$ %s\n' "$*" | sed "s#$tlshop#tlshop#g; s#$gui#tlshop-gui#g; s#$demo/##g"
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

step "A new shop with the default catalog, and its users (passwords generated and printed once)"
run "$tlshop" admin --data-dir data init
alice_password=$("$tlshop" admin --data-dir data user add alice --generate-password | tee /dev/stderr | sed -n 's/^password: //p')
"$tlshop" admin --data-dir data user add admin --role admin --generate-password

step "Start the server: HTTPS that requires a client certificate from this CA"
port=5555
if (exec 3<>/dev/tcp/127.0.0.1/5555) 2>/dev/null; then
  echo "(port 5555 is taken on this machine: the demo uses a free port instead)"
  port=0
fi
"$tlshop" serve --listen 127.0.0.1:$port --cert localhost.crt --key localhost.key \
  --ca ca/ca-chain.crt --crl ca/crl.pem --data-dir data >"$demo/server.out" 2>"$demo/server.log" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$demo/server.out" 2>/dev/null && break
  sleep 0.1
done
cat "$demo/server.out"
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$demo/server.out" | head -n 1)
export TLSHOP_SERVER=localhost:$port TLSHOP_CA=$demo/ca/root.crt
export TLSHOP_CERT=$demo/alice.crt TLSHOP_KEY=$demo/alice.key
export TLSHOP_SESSION_FILE=$demo/sessions.json

step "alice says hello and leaves a message"
run "$tlshop" hello
run "$tlshop" message send --content-type application/xml "<device id='7'><temperature>21.5</temperature></device>"

step "alice logs in, browses two categories, buys, and prints her receipt"
printf '$ tlshop login --user alice   (password typed in)\n'
printf '%s\n' "$alice_password" | "$tlshop" login --user alice
run "$tlshop" categories
run "$tlshop" items --category Electronics
run "$tlshop" items --category Shoes
run "$tlshop" buy 401 2
run "$tlshop" buy 104 3
run "$tlshop" buy 101 5 || true
run "$tlshop" receipt

step "The shop over UDP: DTLS 1.2 with the same certificate, each request a datagram"
udp_port=$(sed -n 's/^listening on udp:.*:\([0-9]*\)$/\1/p' "$demo/server.out" | head -n 1)
run env TLSHOP_SERVER=localhost:$udp_port "$tlshop" hello --udp
run env TLSHOP_SERVER=localhost:$udp_port "$tlshop" buy --udp 402 1
run env TLSHOP_SERVER=localhost:$udp_port "$tlshop" receipt --udp

step "The same through curl"
curl_as_alice=(curl -sS --cacert ca/root.crt --cert alice.crt --key alice.key)
token=$("${curl_as_alice[@]}" -d "{\"name\":\"alice\",\"password\":\"$alice_password\"}" \
  "https://localhost:$port/v1/sessions" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
printf '$ curl --cacert ca/root.crt --cert alice.crt --key alice.key -d {"name":"alice","password":...} https://localhost:%s/v1/sessions\n' "$port"
echo "(the reply's token is \$TOKEN below)"
printf "$ curl ... -H 'Authorization: Bearer \$TOKEN' -H 'Idempotency-Key: demo-1' -d '{\"sku\":\"503\",\"quantity\":1}' https://localhost:%s/v1/orders\n" "$port"
"${curl_as_alice[@]}" -H "Authorization: Bearer $token" -H "Idempotency-Key: demo-1" \
  -d '{"sku":"503","quantity":1}' "https://localhost:$port/v1/orders"
echo
printf "$ curl ... -H 'Authorization: Bearer \$TOKEN' -X POST https://localhost:%s/v1/receipt/close\n" "$port"
"${curl_as_alice[@]}" -H "Authorization: Bearer $token" -X POST "https://localhost:$port/v1/receipt/close"
echo

step "The desktop client in a real session (alice logs in, buys, sends a message): a picture of each tab"
(umask 077 && printf '%s\n' "$alice_password" >alice.pw)
run env QT_QPA_PLATFORM=offscreen "$gui" --settings gui.ini --server "localhost:$port" \
  --ca ca/root.crt --cert alice.crt --key alice.key --user alice --password-file alice.pw \
  --pictures "$demo"
ls tlshop-gui-*.png

step "Without a client certificate, and with bob's revoked one: refused at the handshake"
run curl -sS --cacert ca/root.crt "https://localhost:$port/v1/items" || true
run "$tlshop" hello --cert bob.crt --key bob.key || true

step "The server's audit log says who was refused and why"
run tail -n 2 data/audit.log

kill -TERM "$server_pid"
wait "$server_pid" || true
trap - EXIT

step "Summary"
cat <<SUMMARY
CA directory:        $demo/ca  (trust anchor: ca/root.crt)
Server certificate:  $demo/localhost.crt (+ localhost.key, mode 0600)
Client certificates: $demo/alice.crt (valid), $demo/bob.crt (revoked)
Shop users:          alice (customer) and admin (administrator), passwords printed above
Server data, logs:   $demo/data/ (shop.db, audit.log, access.log)
The window:          $demo/tlshop-gui-*.png, a picture of each tab of tlshop-gui

To keep the server running and shop yourself:
  cd $demo
  $tlshop serve --cert localhost.crt --key localhost.key --ca ca/ca-chain.crt --crl ca/crl.pem --data-dir data &
  export TLSHOP_CA=\$PWD/ca/root.crt TLSHOP_CERT=\$PWD/alice.crt TLSHOP_KEY=\$PWD/alice.key
  $tlshop shop                      # the interactive menu: log in as alice
  $gui --server localhost:5555 --ca ca/root.crt --cert alice.crt --key alice.key --user alice --connect
  curl --cacert ca/root.crt --cert alice.crt --key alice.key https://localhost:5555/v1/items
SUMMARY
