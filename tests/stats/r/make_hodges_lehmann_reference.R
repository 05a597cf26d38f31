# Reference values for the Hodges-Lehmann estimate and its exact confidence interval (axspa.stats).
#
# Run from this folder:  Rscript make_hodges_lehmann_reference.R
# Writes hodges_lehmann_reference.csv beside this script.
#
# Untied paired samples (distinct non-zero |x - y|, integers so x - y is exact) are drawn here
# with a fixed seed and written into the CSV with the expected values from
# stats::wilcox.test(x, y, paired = TRUE, conf.int = TRUE, exact = TRUE): the (pseudo)median
# estimate and the interval. The achieved confidence is 1 - 2 psignrank(k - 1, n) (one-sided:
# 1 - psignrank(k - 1, n)) with k = qsignrank(alpha/2, n) (one-sided alpha), at least 1,
# exactly as wilcox.test chooses k.
set.seed(1972)
rows <- list()
sid <- 0
for (n in c(1:30, 35, 40, 45)) {
  for (rep in 1:3) {
    sid <- sid + 1
    y <- sample(0:100, n, replace = TRUE)
    d <- sample(1:(10 * n + 10), n) * sample(c(-1, 1), n, replace = TRUE, prob = c(0.35, 0.65))
    x <- y + d
    for (alt in c("two.sided", "less", "greater")) {
      for (level in c(0.8, 0.9, 0.95, 0.99)) {
        # small n: R warns that the requested level is not achievable; the achieved one is recorded
        wt <- suppressWarnings(wilcox.test(x, y, paired = TRUE, conf.int = TRUE, exact = TRUE,
                          alternative = alt, conf.level = level))
        a <- 1 - level
        k <- qsignrank(if (alt == "two.sided") a / 2 else a, n)
        if (k == 0) k <- 1
        miss <- psignrank(trunc(k) - 1, n)
        achieved <- if (alt == "two.sided") 1 - 2 * miss else 1 - miss
        rows[[length(rows) + 1]] <- data.frame(
          sample_id = sid, n = n, x = paste(x, collapse = ";"), y = paste(y, collapse = ";"),
          alternative = sub("two.sided", "two-sided", alt), confidence_level = level,
          estimate = sprintf("%.17g", wt$estimate), low = sprintf("%.17g", wt$conf.int[1]),
          high = sprintf("%.17g", wt$conf.int[2]), achieved_confidence = sprintf("%.17g", achieved),
          k = k, stringsAsFactors = FALSE)
      }
    }
  }
}
out <- do.call(rbind, rows)
write.csv(out, "hodges_lehmann_reference.csv", row.names = FALSE, quote = TRUE)
cat(sprintf("%d samples, %d rows written (R %s)\n", sid, nrow(out), getRversion()))
