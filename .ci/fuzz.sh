#!/usr/bin/env bash
# CI: fuzz the live API from its own OpenAPI schema with schemathesis, with the production
# settings on PostgreSQL behind gunicorn. Anonymous reads first, then an editor's writes
# (a session). Fails on any 5xx and on any response whose body, status code or content type
# the schema does not document.
# Bounded: a few examples per operation and a hard time limit per pass.
#
#   DATABASE_URL=postgres://... bash .ci/fuzz.sh
#
# Uses (and resets) the database named by FUZZ_DATABASE (default: "<DATABASE_URL's>_fuzz").
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL must name a PostgreSQL server (see .ci/services.sh)}"
PY=.venv/bin/python
PORT=${FUZZ_PORT:-0}
EXAMPLES=${FUZZ_MAX_EXAMPLES:-60}
PASS_SECONDS=${FUZZ_PASS_SECONDS:-150}
WORK=${FUZZ_DIR:-var/fuzz}
mkdir -p "$WORK"
rm -f "$WORK"/*.log

server_url=${DATABASE_URL%/*}
FUZZ_DATABASE=${FUZZ_DATABASE:-${DATABASE_URL##*/}_fuzz}
export DATABASE_URL="$server_url/$FUZZ_DATABASE"
$PY - "$server_url/postgres" "$FUZZ_DATABASE" <<'EOF'
import sys
import psycopg2
connection = psycopg2.connect(sys.argv[1])
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
    cursor.execute(f'CREATE DATABASE "{sys.argv[2]}"')
EOF

# The production shape, minus TLS (loopback) and the broker (recomputes run in-process).
export DEBUG=0 SECRET_KEY="fuzz-$(date +%s)-$RANDOM$RANDOM" ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export MINEBAN_VAR_DIR="$PWD/$WORK" REDIS_URL=
# The server is on loopback: never through a proxy the machine may name for the registries
# (urllib, and requests under schemathesis, would send 127.0.0.1 to it).
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
$PY manage.py migrate --noinput >/dev/null
$PY manage.py load_reference_data >/dev/null
$PY manage.py collectstatic --noinput >/dev/null
# The editor writes with a session (cookie + CSRF token), as the browsable API does: checking
# a password on every request (PBKDF2, by design slow) would spend the time budget on hashing.
read -r SESSION CSRF < <($PY manage.py shell -c "
from django.contrib.auth.models import Group, User
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
user = User.objects.create_user('fuzz-editor')
user.groups.add(Group.objects.get(name='editors'))
client = Client()
client.force_login(user)
print(client.cookies['sessionid'].value, _get_new_csrf_string())
" 2>/dev/null | tail -n 1)
if [ -z "${SESSION:-}" ] || [ -z "${CSRF:-}" ]; then
  echo "could not log the fuzzing editor in" >&2
  exit 1
fi

# --limit-request-line 0: an address longer than gunicorn's 4 KB default is answered 414 by
# gunicorn itself, before the application; the fuzzing is about the application's answers.
# Port 0 unless FUZZ_PORT is set: the kernel picks a free port (a fixed one may be taken on
# the CI machine), and gunicorn's log says which.
.venv/bin/gunicorn mineban.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --limit-request-line 0 --no-control-socket --access-logfile /dev/null --error-logfile "$WORK/gunicorn.log" 2>>"$WORK/gunicorn.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
if ! PORT=$($PY - "$server" "$WORK/gunicorn.log" <<'EOF'
import os, re, sys, time, urllib.request
pid, log = int(sys.argv[1]), sys.argv[2]
direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
deadline = time.monotonic() + 180
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("gunicorn exited before it served")
    with open(log) as handle:
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", handle.read())
    if found:
        try:
            direct.open(f"http://127.0.0.1:{found[1]}/api/v1/schema/", timeout=30)
            print(found[1])
            sys.exit(0)
        except OSError:
            pass
    time.sleep(0.3)
sys.exit("gunicorn did not serve the schema within 180 s")
EOF
); then
  echo "--- the server did not start; $WORK/gunicorn.log:" >&2
  cat "$WORK/gunicorn.log" >&2
  exit 1
fi
echo "--- server on port $PORT"

status=0
fuzz() {
  local name=$1
  shift
  echo "--- fuzzing: $name"
  set +e
  timeout --signal=INT "$PASS_SECONDS" .venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/v1/schema/" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    --phases examples,fuzzing --max-examples "$EXAMPLES" --seed 1997 --workers 2 \
    --request-timeout 20 --suppress-health-check all --no-color \
    "$@" >"$WORK/$name.log" 2>&1
  local code=$?
  set -e
  # Out of time (124) is the bound doing its job; failures found until then still count.
  if [ "$code" -eq 124 ] && ! grep -qE "^=+ .*(failure|error)" "$WORK/$name.log"; then
    echo "(time budget of ${PASS_SECONDS}s spent: stopped there, no failure found)"
    code=0
  fi
  # The figures, then every failure with the request that reproduces it.
  sed -n '/^=* SUMMARY/,$p' "$WORK/$name.log"
  sed -n '/^=* FAILURES/,/^=* SUMMARY/p' "$WORK/$name.log" | grep -v "^=* SUMMARY" | head -200  || true
  if [ "$code" -ne 0 ]; then
    echo "fuzzing $name failed (exit $code)"
    status=1
  fi
}
fuzz anonymous-reads --include-method GET
fuzz editor-writes --exclude-method GET \
  -H "Cookie: sessionid=$SESSION; csrftoken=$CSRF" -H "X-CSRFToken: $CSRF"

if grep -q "Traceback" "$WORK/gunicorn.log"; then
  echo "--- server errors (first 60 lines of $WORK/gunicorn.log)"
  grep -m1 -A60 "Traceback" "$WORK/gunicorn.log"
  status=1
fi
exit $status
