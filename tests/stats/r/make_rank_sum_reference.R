# Reference values for the two-sample Wilcoxon-Mann-Whitney test and the Hodges-Lehmann shift
# (axspa.stats.wilcoxon_rank_sum).
#
# Run from this folder:  Rscript make_rank_sum_reference.R
# Writes rank_sum_reference.csv beside this script.
#
# Sources:
#   exact p-values:  coin::wilcox_test(value ~ group, distribution = "exact", alternative = ...)
#                    (the exact conditional distribution of the sum of midranks, ties kept)
#   shift estimate and exact interval:
#                    coin::wilcox_test(..., distribution = "exact", conf.int = TRUE, conf.level = ...):
#                    confint(test)$estimate and $conf.int. coin inverts the exact conditional test; its
#                    estimate is the median of the pairwise differences x_i - y_j. (R's wilcox.test with
#                    ties returns a root of the asymptotic statistic instead, so it is not used here.)
#   asymptotic p:    stats::wilcox.test(x, y, exact = FALSE, correct = FALSE / TRUE, alternative = ...)
# The group "x" is the first factor level, so coin's statistic is the sum of the ranks of x and its
# estimate is the shift of x relative to y. Samples are written as semicolon-separated values.
suppressMessages(library(coin))
f17 <- function(v) sprintf("%.17g", v)
set.seed(20261126)
rows <- list()
gen <- function(n, kind) {
  switch(kind,
    heavy = sample(0:3, n, replace = TRUE),           # heavy ties
    basdai = round(runif(n, 0, 10), 1),               # one decimal, some ties
    integer = sample(-5:12, n, replace = TRUE),       # integer scores
    continuous = round(rnorm(n, 0, 2), 6))            # (almost) untied
}
i <- 0
while (length(rows) < 240) {
  i <- i + 1
  kind <- sample(c("heavy", "basdai", "integer", "continuous"), 1, prob = c(0.35, 0.25, 0.25, 0.15))
  n1 <- sample(c(1:12, 15, 20, 25, 30, 40), 1)
  n2 <- sample(c(1:12, 15, 20, 25, 30, 45), 1)
  if (n1 + n2 < 3) next
  shift <- sample(c(0, 0, 0.5, 1, 2), 1)
  x <- gen(n1, kind) + if (kind == "heavy") round(shift) else shift
  y <- gen(n2, kind)
  if (length(unique(c(x, y))) < 2) next
  # with a single distinct pairwise difference coin cannot form its step function
  if (length(unique(as.vector(outer(x, y, "-")))) < 2) next
  d <- data.frame(value = c(x, y), group = factor(rep(c("x", "y"), c(n1, n2)), levels = c("x", "y")))
  level <- sample(c(0.9, 0.95, 0.95, 0.99), 1)
  p <- sapply(c("two.sided", "less", "greater"), function(a)
    pvalue(wilcox_test(value ~ group, data = d, distribution = "exact", alternative = a)))
  ci <- suppressWarnings(confint(wilcox_test(value ~ group, data = d, distribution = "exact",
                                             conf.int = TRUE, conf.level = level)))
  pa <- sapply(c(FALSE, TRUE), function(cc) sapply(c("two.sided", "less", "greater"), function(a)
    wilcox.test(x, y, exact = FALSE, correct = cc, alternative = a)$p.value))
  ranks <- rank(c(x, y))
  rows[[length(rows) + 1]] <- data.frame(
    case = length(rows) + 1, kind = kind, n1 = n1, n2 = n2,
    x = paste(format(x, digits = 15), collapse = ";"), y = paste(format(y, digits = 15), collapse = ";"),
    statistic = f17(sum(ranks[seq_len(n1)])),
    p_exact_two_sided = f17(p[1]), p_exact_less = f17(p[2]), p_exact_greater = f17(p[3]),
    p_asymptotic_two_sided = f17(pa[1, 1]), p_asymptotic_less = f17(pa[2, 1]),
    p_asymptotic_greater = f17(pa[3, 1]),
    p_asymptotic_cc_two_sided = f17(pa[1, 2]), p_asymptotic_cc_less = f17(pa[2, 2]),
    p_asymptotic_cc_greater = f17(pa[3, 2]),
    confidence_level = level, estimate = f17(ci$estimate),
    low = f17(ci$conf.int[1]), high = f17(ci$conf.int[2]), stringsAsFactors = FALSE)
}
# a few large samples (ties to one decimal, as BASDAI changes): the tails that are built are far from
# the whole table here
set.seed(20261127)
for (size in list(c(60, 80), c(100, 100), c(100, 100), c(150, 50))) {
  x <- round(rnorm(size[1], 0.3), 1); y <- round(rnorm(size[2]), 1)
  d <- data.frame(value = c(x, y), group = factor(rep(c("x", "y"), size), levels = c("x", "y")))
  p <- sapply(c("two.sided", "less", "greater"), function(a)
    pvalue(wilcox_test(value ~ group, data = d, distribution = "exact", alternative = a)))
  ci <- confint(wilcox_test(value ~ group, data = d, distribution = "exact", conf.int = TRUE))
  pa <- sapply(c(FALSE, TRUE), function(cc) sapply(c("two.sided", "less", "greater"), function(a)
    wilcox.test(x, y, exact = FALSE, correct = cc, alternative = a)$p.value))
  ranks <- rank(c(x, y))
  rows[[length(rows) + 1]] <- data.frame(
    case = length(rows) + 1, kind = "large", n1 = size[1], n2 = size[2],
    x = paste(format(x, digits = 15), collapse = ";"), y = paste(format(y, digits = 15), collapse = ";"),
    statistic = f17(sum(ranks[seq_len(size[1])])),
    p_exact_two_sided = f17(p[1]), p_exact_less = f17(p[2]), p_exact_greater = f17(p[3]),
    p_asymptotic_two_sided = f17(pa[1, 1]), p_asymptotic_less = f17(pa[2, 1]),
    p_asymptotic_greater = f17(pa[3, 1]),
    p_asymptotic_cc_two_sided = f17(pa[1, 2]), p_asymptotic_cc_less = f17(pa[2, 2]),
    p_asymptotic_cc_greater = f17(pa[3, 2]),
    confidence_level = 0.95, estimate = f17(ci$estimate),
    low = f17(ci$conf.int[1]), high = f17(ci$conf.int[2]), stringsAsFactors = FALSE)
}
out <- do.call(rbind, rows)
out$x <- gsub(" ", "", out$x); out$y <- gsub(" ", "", out$y)
write.csv(out, "rank_sum_reference.csv", row.names = FALSE, quote = TRUE)
cat("wrote", nrow(out), "cases\n")
