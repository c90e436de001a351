#!/usr/bin/env bash
# Machine setup for development and CI, using package registries only:
#   1. the Temporal CLI v1.5.1 (`temporal server start-dev`), built from the Go module proxy;
#   2. Debian's chromium for browser tests;
#   3. a small CJK font (fonts-wqy-microhei, 1.6 MB) so screenshots show Chinese text
#      (fonts-noto-cjk would be 91 MB installed);
#   4. Temporal's Java test server (time skipping, for tests of timers of days) from Maven Central,
#      into $TEMPORAL_TEST_SERVER_DIR (default ~/.cache/gongdian-flow/temporal-test-server).
# Idempotent: whatever is already there is kept. Nothing here is needed by the product at run time
# when TEMPORAL_ADDRESS points at an existing Temporal server.
set -euo pipefail

TEMPORAL_VERSION=1.5.1
TEMPORAL_MODULE=github.com/temporalio/cli/cmd/temporal

step() { printf '[setup %s] %s\n' "$1" "$2"; }

# --- 1. Temporal CLI -------------------------------------------------------------------------
gobin() {
  if command -v go >/dev/null 2>&1; then
    local gobin_env gopath
    gobin_env="$(go env GOBIN)"
    if [ -n "$gobin_env" ]; then echo "$gobin_env"; return; fi
    gopath="$(go env GOPATH)"
    echo "${gopath%%:*}/bin"
  else
    echo "${HOME}/go/bin"
  fi
}

find_temporal() {
  if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -x "${TEMPORAL_CLI_PATH}" ]; then echo "${TEMPORAL_CLI_PATH}"; return; fi
  if command -v temporal >/dev/null 2>&1; then command -v temporal; return; fi
  for dir in "$(gobin)" "${HOME}/go/bin" /root/go/bin; do
    if [ -x "${dir}/temporal" ]; then echo "${dir}/temporal"; return; fi
  done
}

# A release build says its version in `temporal --version`; a `go install` build says 0.0.0-DEV
# there but records the module version, which `go version -m` prints.
is_wanted_version() {
  local bin="$1"
  if "$bin" --version 2>/dev/null | grep -q "${TEMPORAL_VERSION}"; then return 0; fi
  if command -v go >/dev/null 2>&1 && go version -m "$bin" 2>/dev/null | grep -Eq "github.com/temporalio/cli[[:space:]]+v${TEMPORAL_VERSION}([[:space:]]|$)"; then
    return 0
  fi
  return 1
}

existing="$(find_temporal || true)"
if [ -n "$existing" ] && is_wanted_version "$existing"; then
  step 1/4 "Temporal CLI ${TEMPORAL_VERSION} already at ${existing}; skipped"
else
  if [ -n "$existing" ]; then
    step 1/4 "Temporal CLI at ${existing} is not ${TEMPORAL_VERSION}; building ${TEMPORAL_VERSION}"
  fi
  if ! command -v go >/dev/null 2>&1; then
    step 1/4 "Go is missing; installing Debian's golang-go"
    apt-get update -qq
    apt-get install -y -qq golang-go >/dev/null
  fi
  step 1/4 "building Temporal CLI: go install ${TEMPORAL_MODULE}@v${TEMPORAL_VERSION} (a few minutes) …"
  started=$SECONDS
  go install "${TEMPORAL_MODULE}@v${TEMPORAL_VERSION}"
  built="$(gobin)/temporal"
  if ! is_wanted_version "$built"; then
    echo "setup: ${built} was built but does not report v${TEMPORAL_VERSION}" >&2
    exit 1
  fi
  step 1/4 "Temporal CLI ${TEMPORAL_VERSION} built at ${built} ($((SECONDS - started))s)"
  case ":${PATH}:" in
    *":$(gobin):"*) ;;
    *) step 1/4 "note: $(gobin) is not on PATH; the product finds it there anyway" ;;
  esac
fi

# --- 2. Chromium for browser tests ------------------------------------------------------------
if [ -x /usr/bin/chromium ]; then
  step 2/4 "chromium already at /usr/bin/chromium; skipped"
else
  step 2/4 "installing Debian's chromium (apt-get) …"
  started=$SECONDS
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  step 2/4 "chromium installed ($((SECONDS - started))s)"
fi
if fc-list 2>/dev/null | grep -qi 'wqy-microhei'; then
  step 3/4 "CJK font (fonts-wqy-microhei) already installed; skipped"
else
  step 3/4 "installing Debian's fonts-wqy-microhei (CJK glyphs for browser screenshots) …"
  apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null; }
fi

# --- 4. Temporal's Java test server (time skipping) ------------------------------------------
TEST_SERVER_DIR="${TEMPORAL_TEST_SERVER_DIR:-${HOME}/.cache/gongdian-flow/temporal-test-server}"
TEST_SERVER_POM="$(cd "$(dirname "$0")" && pwd)/test-server/pom.xml"
TEST_SERVER_STAMP="${TEST_SERVER_DIR}/.pom.sha256"
if [ -x "${TEST_SERVER_DIR}/temporal-test-server" ] && [ "$(cat "$TEST_SERVER_STAMP" 2>/dev/null)" = "$(sha256sum "$TEST_SERVER_POM" | cut -d' ' -f1)" ]; then
  step 4/4 "Temporal test server already at ${TEST_SERVER_DIR}; skipped"
else
  if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
    step 4/4 "Java or Maven is missing; installing Debian's default-jre-headless and maven"
    apt-get update -qq
    apt-get install -y -qq default-jre-headless maven >/dev/null
  fi
  step 4/4 "fetching Temporal's Java test server from Maven Central …"
  started=$SECONDS
  rm -rf "${TEST_SERVER_DIR}"
  mkdir -p "${TEST_SERVER_DIR}/lib"
  mvn -q -f "$TEST_SERVER_POM" dependency:copy-dependencies -DoutputDirectory="${TEST_SERVER_DIR}/lib"
  cat > "${TEST_SERVER_DIR}/temporal-test-server" <<'WRAPPER'
#!/usr/bin/env bash
# Temporal's Java test server: temporal-test-server <port> [--enable-time-skipping]
exec java -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"
WRAPPER
  chmod +x "${TEST_SERVER_DIR}/temporal-test-server"
  sha256sum "$TEST_SERVER_POM" | cut -d' ' -f1 > "$TEST_SERVER_STAMP"
  step 4/4 "Temporal test server ready in ${TEST_SERVER_DIR} ($((SECONDS - started))s)"
fi

step done "machine setup complete"
