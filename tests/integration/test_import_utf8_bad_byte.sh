#!/bin/bash
# A UTF-8 file with one invalid byte in a later row stays UTF-8: that row is rejected (file:line, what
# is wrong) and the others are imported with their letters intact, not read as Windows-1254.
. "$(dirname "$0")/lib.sh"
printf 'customer_id;first_name;city\r\n1;Ayşe;İzmir\r\n2;Bad\xff;X\r\n3;Çağrı;Muğla\r\n' >m.csv
"$BB" --db d.db import customers m.csv >out.txt 2>err.txt; rc=$?
[[ $rc == 1 ]] || fail "a rejected row gave exit $rc, expected 1"
grep -q "(UTF-8, ';'-separated)" out.txt || fail "not read as UTF-8: $(head -1 out.txt)"
grep -q '^m.csv:3: field 2 is not valid UTF-8' err.txt || fail "no file:line message for the bad byte: $(cat err.txt)"
"$BB" --db d.db export customers >e.csv || fail "export exited $?"
[[ $(cut -d, -f1,2,6 e.csv | tail -n +2) == $'1,Ayşe,İzmir\n3,Çağrı,Muğla' ]] || fail "the good rows changed: $(cat e.csv)"
pass
