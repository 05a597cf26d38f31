# Reference values for binomial intervals, Fisher's exact test, chi-square and McNemar (axspa.stats).
#
# Run from this folder:  Rscript make_proportions_reference.R
# Writes binomial_ci_reference.csv and two_by_two_reference.csv beside this script.
#
# Sources:
#   clopper-pearson: stats::binom.test(x, n, conf.level = level)$conf.int
#   wilson:          stats::prop.test(x, n, correct = FALSE, conf.level = level)$conf.int
#   jeffreys:        qbeta(c(a/2, 1 - a/2), x + 0.5, n - x + 0.5), lower limit 0 when x = 0 and
#                    upper limit 1 when x = n (Brown, Cai & DasGupta 2001)
#   binomial test:   stats::binom.test(x, n, p)$p.value (two-sided, less, greater)
#   fisher:          stats::fisher.test(table, alternative = ...)$p.value
#   chi-square:      stats::chisq.test(table, correct = FALSE / TRUE)
#   mcnemar:         stats::mcnemar.test(table, correct = FALSE / TRUE) (asymptotic);
#                    stats::binom.test(b, b + c)$p.value (exact)
# R's matrix() fills by column: matrix(c(a, c, b, d), 2) is the table [[a, b], [c, d]].
f17 <- function(v) sprintf("%.17g", v)

ci <- list()
for (n in c(1, 2, 3, 5, 8, 10, 13, 20, 37, 50, 100)) {
  for (x in 0:n) {
    for (level in c(0.9, 0.95, 0.99)) {
      a <- 1 - level
      cp <- binom.test(x, n, conf.level = level)$conf.int
      wi <- suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = level))$conf.int
      je <- qbeta(c(a / 2, 1 - a / 2), x + 0.5, n - x + 0.5)
      if (x == 0) je[1] <- 0
      if (x == n) je[2] <- 1
      for (m in list(list("clopper-pearson", cp), list("wilson", wi), list("jeffreys", je))) {
        ci[[length(ci) + 1]] <- data.frame(successes = x, n = n, confidence_level = level,
          method = m[[1]], low = f17(m[[2]][1]), high = f17(m[[2]][2]), stringsAsFactors = FALSE)
      }
    }
  }
}
ci <- do.call(rbind, ci)
write.csv(ci, "binomial_ci_reference.csv", row.names = FALSE, quote = TRUE)

set.seed(1947)
tt <- list()
add <- function(test, tab, alternative, correction, statistic, p) {
  tt[[length(tt) + 1]] <<- data.frame(test = test, a = tab[1, 1], b = tab[1, 2], c = tab[2, 1],
    d = tab[2, 2], alternative = alternative, correction = correction,
    statistic = f17(statistic), pvalue = f17(p), stringsAsFactors = FALSE)
}
for (i in 1:150) {
  size <- sample(c(4, 8, 13, 20, 40, 80), 1)
  tab <- matrix(rmultinom(1, size, prob = runif(4))[, 1], 2)
  for (alt in c("two.sided", "less", "greater")) {
    add("fisher", tab, sub("two.sided", "two-sided", alt), FALSE, NA,
        fisher.test(tab, alternative = alt)$p.value)
  }
  if (all(rowSums(tab) > 0) && all(colSums(tab) > 0)) {
    for (cc in c(FALSE, TRUE)) {
      ch <- suppressWarnings(chisq.test(tab, correct = cc))
      add("chi-square", tab, "two-sided", cc, ch$statistic, ch$p.value)
    }
  }
  b <- tab[1, 2]; c <- tab[2, 1]
  if (b + c > 0) {
    for (cc in c(FALSE, TRUE)) {
      mc <- mcnemar.test(tab, correct = cc)
      add("mcnemar-asymptotic", tab, "two-sided", cc, mc$statistic, mc$p.value)
    }
    add("mcnemar-exact", tab, "two-sided", FALSE, min(b, c), binom.test(b, b + c)$p.value)
  }
  for (alt in c("two.sided", "less", "greater")) {
    x <- tab[1, 1]; n <- sum(tab[1, ])
    if (n > 0) {
      p0 <- sample(c(0.2, 0.5, 0.7), 1)
      add(paste0("binomial-", p0), tab, sub("two.sided", "two-sided", alt), FALSE, NA,
          binom.test(x, n, p0, alternative = alt)$p.value)
    }
  }
}
tt <- do.call(rbind, tt)
write.csv(tt, "two_by_two_reference.csv", row.names = FALSE, quote = TRUE)
cat(sprintf("%d interval rows, %d test rows written (R %s)\n", nrow(ci), nrow(tt), getRversion()))
