# Ungapped pairwise identity of the first sequence in each of two FASTA files:
#   awk -f identity.awk a.fa b.fa   ->   "a b 97/120 80.8%"
FNR == 1 { file++ }
/^>/ { next }
{ seq[file] = seq[file] toupper($0) }
END {
  n = length(seq[1]) < length(seq[2]) ? length(seq[1]) : length(seq[2])
  same = 0
  for (i = 1; i <= n; i++) if (substr(seq[1], i, 1) == substr(seq[2], i, 1)) same++
  name1 = ARGV[1]; sub(/.*\//, "", name1); sub(/\.fa$/, "", name1)
  name2 = ARGV[2]; sub(/.*\//, "", name2); sub(/\.fa$/, "", name2)
  printf "%s %s %d/%d %.1f%%\n", name1, name2, same, n, n ? 100 * same / n : 0
}
