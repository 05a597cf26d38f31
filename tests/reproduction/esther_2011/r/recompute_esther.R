# ESTHER: every Table 3 and MRI table mean, SD and between-arm ANCOVA p-value recomputed from the bundled CSV
# files with base R only (independently of axspa), the reference of test_against_r.py.
# Run from the repository root: Rscript tests/reproduction/esther_2011/r/recompute_esther.R
visits <- read.csv("data/esther_2011/visits.csv", stringsAsFactors = FALSE)
patients <- read.csv("data/esther_2011/patients.csv", stringsAsFactors = FALSE)
visits$arm <- patients$arm[match(visits$patient_id, patients$patient_id)]
# BASDAI (Garrett 1994): (Q1 + Q2 + Q3 + Q4 + (Q5 + Q6) / 2) / 5; BASFI (Calin 1994): mean of its 10 items.
visits$basdai <- (visits$basdai_q1 + visits$basdai_q2 + visits$basdai_q3 + visits$basdai_q4 +
                  (visits$basdai_q5 + visits$basdai_q6) / 2) / 5
visits$basfi <- rowMeans(visits[, paste0("basfi_q", 1:10)])
measures <- list(table3 = c("basdai", "basfi", "patient_global", "physician_global", "joint_count",
                            "enthesitis_score", "basmi", "eq5d", "asqol", "crp_mg_l"),
                 mri_table = c("mri_sij", "mri_spine", "mri_enthesitis", "mri_posterior_segments"))
counts <- c("mri_enthesitis", "mri_posterior_segments")
out <- data.frame(id = character(), value = character(), stringsAsFactors = FALSE)
add <- function(id, value) out[nrow(out) + 1, ] <<- list(id, sprintf("%.17g", value))
for (table in names(measures)) {
  for (m in measures[[table]]) {
    for (w in c(0, 24, 48)) {
      for (a in c("etanercept", "sulfasalazine")) {
        v <- visits[visits$week == w & visits$arm == a, m]
        if (m %in% counts) {  # printed as "26 sites (in 15 patients)"
          add(sprintf("%s.%s.%s.week%d.sites", table, m, a, w), sum(v))
          add(sprintf("%s.%s.%s.week%d.patients", table, m, a, w), sum(v > 0))
        } else {
          add(sprintf("%s.%s.%s.week%d.mean", table, m, a, w), mean(v))
          add(sprintf("%s.%s.%s.week%d.sd", table, m, a, w), sd(v))
        }
      }
      if (w == 0 && table == "mri_table") {  # baseline p: rank-sum, normal approximation, continuity correction
        v <- visits[visits$week == 0, ]
        test <- wilcox.test(v[v$arm == "etanercept", m], v[v$arm == "sulfasalazine", m], exact = FALSE, correct = TRUE)
        add(sprintf("%s.%s.week0.p", table, m), test$p.value)
      }
      if (w > 0) {
        base <- visits[visits$week == 0, c("patient_id", "arm", m)]
        names(base)[3] <- "base"
        follow <- visits[visits$week == w, c("patient_id", m)]
        names(follow)[2] <- "y"
        d <- merge(base, follow, by = "patient_id")
        d$arm <- factor(d$arm, levels = c("sulfasalazine", "etanercept"))
        fit <- lm(I(y - base) ~ arm + base, data = d)
        add(sprintf("%s.%s.week%d.p", table, m, w), summary(fit)$coefficients["armetanercept", 4])
        if (w == 48) {  # the between-arm difference of change (etanercept minus sulfasalazine) and its 95 % CI
          add(sprintf("difference.%s.week48.estimate", m), coef(fit)[["armetanercept"]])
          add(sprintf("difference.%s.week48.low", m), confint(fit)["armetanercept", 1])
          add(sprintf("difference.%s.week48.high", m), confint(fit)["armetanercept", 2])
        }
      }
    }
  }
}
# Clinical remission read as ASAS partial remission at week 48: patient global, back pain, BASFI and inflammation
# (mean of BASDAI Q5 and Q6) each at most 2; percent of the arm.
v <- visits[visits$week == 48, ]
remission <- v$patient_global <= 2 & v$back_pain <= 2 & v$basfi <= 2 & (v$basdai_q5 + v$basdai_q6) / 2 <= 2
for (a in c("etanercept", "sulfasalazine")) {
  add(sprintf("abstract.remission.%s.week48.percent", a), 100 * mean(remission[v$arm == a]))
}
write.csv(out, "tests/reproduction/esther_2011/r/esther_by_r.csv", row.names = FALSE, quote = FALSE)
