# Recompute the reference study's visit-level figures in R, independently of axspa, from the bundled files.
# Run from the repository root:
#   Rscript tests/studies/r/recompute_published_figures.R > tests/studies/r/published_figures_by_r.csv
# Indices from their items by the published formulas: BASDAI (Garrett 1994) = (Q1 + Q2 + Q3 + Q4 + (Q5 + Q6) / 2) / 5;
# BASFI (Calin 1994) = mean of 10 items; BAS-G (Jones 1996) = mean of its two items. CRP and IgA stay in mg/dL.
# P-values: exactRankTests::wilcox.exact (exact conditional, zeros dropped) for week 24; wilcox.test with
# exact = FALSE, correct = FALSE (normal approximation, tie-corrected variance) for week 8, with digits.rank = 7 so
# that differences equal in decimal stay tied after floating-point subtraction (70.0 - 39.3 vs 55.7 - 25.0).
suppressMessages(library(exactRankTests))
p <- read.csv("data/thalidomide_2003/patients.csv", stringsAsFactors = FALSE)
v <- read.csv("data/thalidomide_2003/visits.csv", stringsAsFactors = FALSE)
v$basdai <- (v$basdai_q1 + v$basdai_q2 + v$basdai_q3 + v$basdai_q4 + (v$basdai_q5 + v$basdai_q6) / 2) / 5
v$basfi <- rowMeans(v[, paste0("basfi_q", 1:10)])
v$basg <- (v$basg_week + v$basg_6m) / 2

completers <- p$patient_id[p$status == "completed"]
week8 <- unique(v$patient_id[v$week == 8])

paired <- function(ids, measure, week) {
  b <- v[v$week == 0 & v$patient_id %in% ids, c("patient_id", measure)]
  f <- v[v$week == week & v$patient_id %in% ids, c("patient_id", measure)]
  d <- merge(b, f, by = "patient_id", suffixes = c("_b", "_f"))
  list(b = d[[paste0(measure, "_b")]], f = d[[paste0(measure, "_f")]])
}

out <- data.frame(id = character(), value = character(), stringsAsFactors = FALSE)
add <- function(id, value) out[nrow(out) + 1, ] <<- c(id, sprintf("%.17g", value))

for (m in c("basdai", "basfi", "basg", "esr_mm_h", "crp_mg_dl", "iga_mg_dl")) {
  x <- paired(completers, m, 24)
  add(sprintf("week24.%s.baseline.mean", m), mean(x$b)); add(sprintf("week24.%s.baseline.sd", m), sd(x$b))
  add(sprintf("week24.%s.week24.mean", m), mean(x$f)); add(sprintf("week24.%s.week24.sd", m), sd(x$f))
  add(sprintf("week24.%s.p", m), wilcox.exact(x$f, x$b, paired = TRUE)$p.value)
}
for (m in c("basdai", "esr_mm_h")) {
  x <- paired(week8, m, 8)
  add(sprintf("week8.%s.baseline.mean", m), mean(x$b)); add(sprintf("week8.%s.baseline.sd", m), sd(x$b))
  add(sprintf("week8.%s.week8.mean", m), mean(x$f)); add(sprintf("week8.%s.week8.sd", m), sd(x$f))
  add(sprintf("week8.%s.p", m), suppressWarnings(wilcox.test(x$f, x$b, paired = TRUE, exact = FALSE, digits.rank = 7,
                                                              correct = FALSE)$p.value))
}
write.csv(out, stdout(), row.names = FALSE, quote = FALSE)
