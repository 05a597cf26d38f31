# Between-arm ANCOVA p-values of hand-made two-arm data sets (base R lm), the references of
# tests/forensics/test_two_arm.py. Run: Rscript two_arm_ancova.R > two_arm_ancova.out
show <- function(label, arm, x, y) {
  fit <- lm(y ~ arm + x)
  p <- summary(fit)$coefficients[2, 4]
  chg <- summary(lm(I(y - x) ~ arm + x))$coefficients[2, 4]
  cat(sprintf("%s p_followup=%.12g p_change=%.12g\n", label, p, chg))
  for (a in unique(arm)) {
    cat(sprintf("%s arm=%s mean_x=%.12g sd_x=%.12g mean_y=%.12g sd_y=%.12g\n", label, a,
                mean(x[arm == a]), sd(x[arm == a]), mean(y[arm == a]), sd(y[arm == a])))
  }
}
# Doctest of ancova_pvalue_of_pairing: three patients per arm.
show("doctest", factor(c("A", "A", "A", "B", "B", "B")), c(1, 2, 3, 1, 2, 3), c(1, 2, 4, 2, 3, 4))
# Five patients per arm, whole numbers 0-10.
show("five", factor(c(rep("A", 5), rep("B", 5))), c(2, 4, 5, 7, 9, 3, 4, 6, 7, 8), c(1, 2, 4, 4, 6, 3, 5, 4, 7, 8))
# Counts of six patients per arm (totals and patients above zero: A 10 in 4 -> 4 in 3, B 10 in 5 -> 11 in 5).
show("counts", factor(c(rep("A", 6), rep("B", 6))), c(0, 0, 1, 2, 3, 4, 0, 1, 1, 2, 3, 3),
     c(0, 0, 0, 1, 1, 2, 0, 1, 2, 2, 3, 3))
