# Expected values for tests/report/test_reference.py: the bundled reference study without patient T04
# (an axial completer). Run from the repository root: Rscript tests/report/reference_one_removed.R
# Output: tests/report/reference_one_removed.txt. Indices are computed here from the items, by their
# published formulas (BASDAI: Garrett 1994; BASFI: Calin 1994; BAS-G: mean of the two items).
suppressMessages(library(exactRankTests))
options(digits = 10)
p <- read.csv("data/thalidomide_2003/patients.csv", stringsAsFactors = FALSE)
v <- read.csv("data/thalidomide_2003/visits.csv", stringsAsFactors = FALSE)
ae <- read.csv("data/thalidomide_2003/adverse_events.csv", stringsAsFactors = FALSE)
p <- p[p$patient_id != "T04", ]; v <- v[v$patient_id != "T04", ]; ae <- ae[ae$patient_id != "T04", ]

v$basdai <- (v$basdai_q1 + v$basdai_q2 + v$basdai_q3 + v$basdai_q4 + (v$basdai_q5 + v$basdai_q6) / 2) / 5
v$basfi <- rowMeans(v[, paste0("basfi_q", 1:10)])
v$basg <- (v$basg_week + v$basg_6m) / 2

cat(sprintf("enrolled=%d completers=%d ae_withdrawals=%d\n", nrow(p), sum(p$status == "completed"),
            sum(p$withdrawal_reason == "adverse_event", na.rm = TRUE)))
cat(sprintf("age: mean=%.10f min=%g max=%g\n", mean(p$age_years), min(p$age_years), max(p$age_years)))
comp <- p$patient_id[p$status == "completed"]
for (m in c("basdai", "basfi", "basg", "esr_mm_h")) {
  b <- v[v$week == 0 & v$patient_id %in% comp, c("patient_id", m)]
  f <- v[v$week == 24 & v$patient_id %in% comp, c("patient_id", m)]
  d <- merge(b, f, by = "patient_id", suffixes = c("_0", "_24"))
  x0 <- d[[paste0(m, "_0")]]; x24 <- d[[paste0(m, "_24")]]
  ex <- wilcox.exact(x24, x0, paired = TRUE, conf.int = TRUE)
  cat(sprintf("%s: n=%d base_mean=%.10f base_sd=%.10f w24_mean=%.10f w24_sd=%.10f p=%.10f ci=[%.10f, %.10f]\n",
              m, nrow(d), mean(x0), sd(x0), mean(x24), sd(x24), ex$p.value, ex$conf.int[1], ex$conf.int[2]))
}
for (term in c("dry mouth", "constipation", "dizziness")) {
  k <- length(unique(ae$patient_id[ae$term == term]))
  cat(sprintf("%s: patients=%d of %d\n", term, k, nrow(p)))
}
for (xn in list(c(7, 7), c(7, 9), c(7, 12), c(4, 7), c(4, 9), c(4, 12))) {
  ci <- binom.test(xn[1], xn[2])$conf.int
  cat(sprintf("%d/%d: %.10f %.10f\n", xn[1], xn[2], ci[1], ci[2]))
}
