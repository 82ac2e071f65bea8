# Compares ROLE<TAB>CALL lines (strace output, see policy_coverage.sh) with
# the policy files: -v master=FILE -v worker=FILE [-v extra=FILE]; with
# -v calls_only=1 a line no call matched is listed but not a failure.
# A worker call must pass both filters (the worker's is stacked on the
# master's); a master call the master's. Exit status 1 on any failure.

function trim(s) {
  sub(/^[ \t]+/, "", s)
  sub(/[ \t]+$/, "", s)
  return s
}

function load(role, file,   line, n) {
  if (file == "") return
  while ((getline line < file) > 0) {
    n++
    add_rule(role, line, file, n)
  }
  close(file)
}

# One policy line: NAME [errno E] {argN OP V | argN & M == V} # reason
function add_rule(role, line, file, n,   hash, body, reason, t, nt, i, r, c) {
  hash = index(line, "#")
  body = trim(hash ? substr(line, 1, hash - 1) : line)
  if (body == "") return
  reason = trim(substr(line, hash + 1))
  nt = split(body, t, /[ \t]+/)
  r = ++rules[role]
  rname[role, r] = t[1]
  rwhere[role, r] = file ":" n
  rtext[role, r] = body
  rrare[role, r] = reason ~ /^\[rare\]/
  i = t[2] == "errno" ? 4 : 2
  c = 0
  while (i <= nt) {
    c++
    carg[role, r, c] = substr(t[i], 4) + 0
    if (t[i + 1] == "&") {
      cop[role, r, c] = "&"; cmask[role, r, c] = t[i + 2]; cval[role, r, c] = t[i + 4]; i += 5
    } else {
      cop[role, r, c] = t[i + 1]; cval[role, r, c] = t[i + 2]; i += 3
    }
  }
  ncond[role, r] = c
  byname[role, t[1]] = byname[role, t[1]] " " r
}

# The arguments of a call as strace prints them, split at top-level commas
# into A[1..n]; returns n.
function split_args(text, A,   n, i, ch, depth, quoted, start) {
  n = 0; depth = 0; quoted = 0; start = 1
  for (i = 1; i <= length(text); i++) {
    ch = substr(text, i, 1)
    if (quoted) {
      if (ch == "\\") i++
      else if (ch == "\"") quoted = 0
    } else if (ch == "\"") quoted = 1
    else if (ch ~ /[({[]/) depth++
    else if (ch ~ /[)}\]]/) depth--
    else if (ch == "," && depth == 0) {
      A[++n] = trim(substr(text, start, i - start)); start = i + 1
    }
  }
  A[++n] = trim(substr(text, start))
  return n
}

# strace names a value by the first of its aliases it knows.
function canonical(atom) {
  if (atom == "TIOCOUTQ") return "SIOCOUTQ"
  return atom
}

# Same set of '|'-joined names (or the same number).
function same_value(a, v,   x, y, nx, ny, i, j, found) {
  if (a ~ /^-?[0-9]+$/ && v ~ /^-?[0-9]+$/) return a + 0 == v + 0
  nx = split(a, x, "|"); ny = split(v, y, "|")
  if (nx != ny) return 0
  for (i = 1; i <= ny; i++) {
    found = 0
    for (j = 1; j <= nx; j++) if (canonical(x[j]) == canonical(y[i])) found = 1
    if (!found) return 0
  }
  return 1
}

function has_word(text, word) {
  return text ~ ("(^|[^A-Za-z0-9_])" word "([^A-Za-z0-9_]|$)")
}

# "& MASK == V" on flags strace printed by name: no name of MASK outside V
# appears in the arguments, every name of V does.
function mask_holds(args, mask, value,   m, v, nm, nv, i, j, inv) {
  nm = split(mask, m, "|"); nv = value == "0" ? 0 : split(value, v, "|")
  for (i = 1; i <= nm; i++) {
    inv = 0
    for (j = 1; j <= nv; j++) if (v[j] == m[i]) inv = 1
    if (!inv && has_word(args, m[i])) return 0
  }
  for (j = 1; j <= nv; j++) if (!has_word(args, v[j])) return 0
  return 1
}

function rule_matches(role, r, args,   c, A, n, a, same) {
  n = -1
  for (c = 1; c <= ncond[role, r]; c++) {
    if (cop[role, r, c] == "&") {
      if (!mask_holds(args, cmask[role, r, c], cval[role, r, c])) return 0
      continue
    }
    if (n < 0) n = split_args(args, A)
    a = carg[role, r, c] + 1 <= n ? A[carg[role, r, c] + 1] : ""
    same = same_value(a, cval[role, r, c])
    if (cop[role, r, c] == "==" && !same) return 0
    if (cop[role, r, c] == "!=" && same) return 0
  }
  return 1
}

# Marks every line of `role` the call matches; 0 if none allows it.
function check(role, name, args, call,   list, k, i, ok) {
  ok = 0
  k = split(byname[role, name], list, " ")
  for (i = 1; i <= k; i++) {
    if (rule_matches(role, list[i], args)) {
      seen[role, list[i]]++
      ok = 1
    }
  }
  if (!ok && !((role, name) in refused)) refused[role, name] = call
  return ok
}

BEGIN {
  FS = "\t"
  load("master", master); load("master", extra)
  load("worker", worker); load("worker", extra)
  if (!rules["master"] || !rules["worker"]) {
    print "FAIL: a policy file is empty or missing"
    broken = 1
    exit 2
  }
}

{
  role = $1; call = $2
  if (call ~ /^\+\+\+ killed by SIGSYS/ || call ~ /^--- SIGSYS /) {
    if (++died <= 20) print "FAIL: a process under the " role " filter: " call
    next
  }
  if (call !~ /^[a-z0-9_]+\(/) next
  name = substr(call, 1, index(call, "(") - 1)
  args = substr(call, index(call, "(") + 1)
  sub(/\)[ \t]+= .*$/, "", args)
  sub(/ <unfinished \.\.\.>\)?.*$/, "", args)
  made[role, name]++
  check("master", name, args, call)
  if (role == "worker") check("worker", name, args, call)
}

function report(role,   r, names, k, unmarked) {
  print "== " role ".policy: " rules[role] " lines"
  for (r = 1; r <= rules[role]; r++) {
    if ((role, r) in seen) print "  seen   " rtext[role, r] "  (" seen[role, r] " calls)"
  }
  for (r = 1; r <= rules[role]; r++) {
    if (!((role, r) in seen) && rrare[role, r]) print "  rare   " rtext[role, r]
  }
  unmarked = 0
  for (r = 1; r <= rules[role]; r++) {
    if (!((role, r) in seen) && !rrare[role, r]) {
      if (calls_only) {
        print "  unseen " rtext[role, r] "  (not checked in this build)"
        continue
      }
      print "  UNSEEN " rtext[role, r] "  (" rwhere[role, r] "; no call matched it and its reason is not marked [rare])"
      unmarked++
    }
  }
  for (k in refused) {
    split(k, names, SUBSEP)
    if (names[1] != role) continue
    print "  REFUSED " names[2] ": made but no line allows it, e.g. " refused[k]
    unmarked++
  }
  return unmarked
}

END {
  if (broken) exit 2
  if (NR == 0) { print "FAIL: no call to check"; exit 2 }
  failures = died + report("worker") + report("master")
  if (failures > 0) { print "FAIL: " failures " problems (see above)"; exit 1 }
  if (calls_only) print "ok: every call made is allowed (unused lines not checked)"
  else print "ok: every call made is allowed, every line is seen or marked [rare]"
}
