# Reference values for the responses-by-arm table (axspa.report.tables.response_by_arm_table).
#
# Run from this directory: Rscript make_by_arm_reference.R   (R 4.2.2, coin 1.4.2). Writes
# by_arm_reference.csv: for each 2x2 count (x1/n1 in the arm, x2/n2 in the control arm) the Wilson score 95%
# interval of each rate (prop.test without continuity correction), the difference x1/n1 - x2/n2 with Newcombe's
# hybrid score interval (Newcombe 1998, method 10, written out below from those Wilson limits), Fisher's exact
# p (fisher.test) and Pearson's chi-square p without continuity correction (chisq.test(correct = FALSE)).
#
# The counts are those of the small trials the tests build: the published example of Fagerland, Lydersen and
# Laake (2015), 7/34 against 1/34, under non-responder imputation and as observed cases, a second visit, and
# a three-arm trial (two doses against placebo).
#
# Also writes by_arm_rank_sum_reference.csv for the change-by-arm table: coin's exact Wilcoxon rank-sum test
# (wilcox_test(distribution = "exact", conf.int = TRUE), ties kept) of the changes 2, 4, 4, 5, 7 (arm) against
# 1, 2, 3, 3 (control): two-sided p, Hodges-Lehmann shift and its exact 95% interval, and the same with the arms
# swapped.

suppressPackageStartupMessages(library(coin))

wilson <- function(x, n) as.numeric(prop.test(x, n, correct = FALSE)$conf.int)

counts <- data.frame(
  case = c("fagerland_nri", "fagerland_observed", "week24_nri", "week24_observed", "high_vs_placebo",
           "low_vs_placebo"),
  x1 = c(7, 7, 12, 12, 9, 5), n1 = c(34, 27, 34, 25, 20, 20),
  x2 = c(1, 1, 5, 5, 2, 2), n2 = c(34, 26, 34, 22, 20, 20)
)

rows <- lapply(seq_len(nrow(counts)), function(i) {
  k <- counts[i, ]
  w1 <- wilson(k$x1, k$n1); w2 <- wilson(k$x2, k$n2)
  p1 <- k$x1 / k$n1; p2 <- k$x2 / k$n2; d <- p1 - p2
  tab <- matrix(c(k$x1, k$n1 - k$x1, k$x2, k$n2 - k$x2), 2, byrow = TRUE)
  data.frame(
    k,
    wilson1_low = w1[1], wilson1_high = w1[2], wilson2_low = w2[1], wilson2_high = w2[2],
    difference = d,
    newcombe_low = d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2),
    newcombe_high = d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2),
    fisher_p = fisher.test(tab)$p.value,
    chisq_p = suppressWarnings(chisq.test(tab, correct = FALSE)$p.value)
  )
})
out <- do.call(rbind, rows)
num <- vapply(out, is.numeric, logical(1))
out[num] <- lapply(out[num], function(v) sprintf("%.17g", v))
write.csv(out, "by_arm_reference.csv", row.names = FALSE, quote = FALSE)

change <- c(2, 4, 4, 5, 7, 1, 2, 3, 3)
rank_sum <- function(first) {
  g <- factor(rep(c("active", "placebo"), c(5, 4)), levels = c(first, setdiff(c("active", "placebo"), first)))
  r <- wilcox_test(change ~ g, data = data.frame(change = change, g = g), distribution = "exact", conf.int = TRUE)
  ci <- confint(r)
  data.frame(arm = first, pvalue = sprintf("%.17g", pvalue(r)), shift = ci$estimate, low = ci$conf.int[1],
             high = ci$conf.int[2])
}
write.csv(rbind(rank_sum("active"), rank_sum("placebo")), "by_arm_rank_sum_reference.csv", row.names = FALSE,
          quote = FALSE)
