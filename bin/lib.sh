# Shared by the launchers in bin/: finds a JDK >= 21 and builds the project when needed.
# Sourced, not run. Sets WATTPROOF_HOME, JAVA_HOME, JAVA and JVM_FLAGS.

WATTPROOF_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WATTPROOF_MIN_JAVA=21  # the project compiles for release 21

# Prints the major version of the java binary given, or nothing if it does not run.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

# A JDK (not only a JRE: Maven needs javac) whose major version is at least WATTPROOF_MIN_JAVA.
is_suitable_jdk() {
  local home="$1" major
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  major="$(java_major "$home/bin/java")"
  [ -n "$major" ] && [ "$major" -ge "$WATTPROOF_MIN_JAVA" ]
}

find_jdk() {
  local candidate tried=()
  if [ -n "${JAVA_HOME:-}" ]; then
    if is_suitable_jdk "$JAVA_HOME"; then
      return 0
    fi
    tried+=("JAVA_HOME=$JAVA_HOME")
  fi
  local path_java
  path_java="$(command -v java 2>/dev/null || true)"
  if [ -n "$path_java" ]; then
    candidate="$(dirname "$(dirname "$(readlink -f "$path_java")")")"
    if is_suitable_jdk "$candidate"; then
      JAVA_HOME="$candidate"
      return 0
    fi
    tried+=("$candidate (java on PATH)")
  fi
  # Of the usual install places, take the newest qualifying JDK, so a machine with 21 and 25 runs on 25.
  local best="" best_major=0 major
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
      "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] && [ ! -L "$candidate" ] || continue
    if is_suitable_jdk "$candidate"; then
      major="$(java_major "$candidate/bin/java")"
      if [ "$major" -gt "$best_major" ]; then
        best="$candidate" best_major="$major"
      fi
    else
      tried+=("$candidate")
    fi
  done
  if [ -n "$best" ]; then
    JAVA_HOME="$best"
    return 0
  fi
  {
    echo "error: Wattproof needs a JDK $WATTPROOF_MIN_JAVA or newer, and none was found."
    echo "looked at:"
    local t
    for t in "${tried[@]}"; do echo "  $t"; done
    echo "install one (e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21/25) or set JAVA_HOME to it."
  } >&2
  return 1
}

find_jdk || exit 1
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
JVM_FLAGS=(--enable-native-access=ALL-UNNAMED)
# PKCS#11 tokens are chosen by label, which only the JDK's internal PKCS#11 binding can read
# (docs/keys.md).
JVM_FLAGS+=(--add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED)
if [ "$(java_major "$JAVA")" -ge 23 ]; then
  # Guava (in the simulator's broker) uses sun.misc.Unsafe; JDK 23+ warns unless told; the flag is unknown before 23.
  JVM_FLAGS+=(--sun-misc-unsafe-memory-access=allow)
fi

require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "error: Apache Maven (mvn) is needed to build Wattproof; install it (e.g. 'apt-get install maven')." >&2
    exit 1
  fi
}

# Builds the modules (tests skipped) when a source or pom is newer than the last build.
build_if_needed() {
  local stamp="$WATTPROOF_HOME/simulator/target/.wattproof-build-stamp"
  if [ -f "$stamp" ] && [ -z "$(find "$WATTPROOF_HOME" -path "$WATTPROOF_HOME/.git" -prune -o \
        \( -name pom.xml -o -path '*/src/main/*' \) -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  require_maven
  echo "building Wattproof (first run or sources changed; takes a minute)..." >&2
  if [ "$(java_major "$JAVA")" -ge 23 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
  if ! (cd "$WATTPROOF_HOME" && mvn -q -B -ntp -DskipTests package >"$WATTPROOF_HOME/target-build.log" 2>&1); then
    echo "error: the build failed; see $WATTPROOF_HOME/target-build.log" >&2
    tail -n 30 "$WATTPROOF_HOME/target-build.log" >&2
    exit 1
  fi
  rm -f "$WATTPROOF_HOME/target-build.log"
  touch "$stamp"
}

# Runs a main class of a module from its jar and target/lib.
run_module() {
  local module="$1" main="$2"
  shift 2
  local jar
  jar="$(ls "$WATTPROOF_HOME/$module"/target/"$module"-*.jar 2>/dev/null | grep -v -- '-sources\|-tests' | head -n 1)"
  exec "$JAVA" "${JVM_FLAGS[@]}" ${WATTPROOF_JAVA_OPTS:-} \
    -cp "$jar:$WATTPROOF_HOME/$module/target/lib/*" "$main" "$@"
}
