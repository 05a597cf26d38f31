# Reference values for the Wilcoxon signed-rank test (axspa.stats), computed in R.
#
# Run from this folder:  Rscript make_signed_rank_reference.R
# Writes signed_rank_reference.csv beside this script.
#
# Samples are generated here with a fixed seed and written into the CSV (x and y as
# integers, so x - y is exact in floating point), together with the expected values.
# Sources of the expected values:
#   exact,      zeros "wilcox": exactRankTests::wilcox.exact (exact conditional, zeros dropped)
#   exact,      zeros "pratt":  coin::wilcoxsign_test(distribution = "exact", zero.method = "Pratt")
#   asymptotic, zeros "wilcox": stats::wilcox.test(exact = FALSE, correct = FALSE / TRUE)
#   asymptotic, zeros "pratt":  coin::wilcoxsign_test(distribution = "asymptotic") (no correction):
#                               its standardized statistic z, with p from pnorm (see below)
# The exact "wilcox" values are cross-checked against coin (zero.method = "Wilcoxon") and the
# script stops if the two packages disagree.
suppressPackageStartupMessages({
  library(coin)
  library(exactRankTests)
})

set.seed(20261124)

make_sample <- function(n, kind) {
  y <- sample(0:50, n, replace = TRUE)
  d <- switch(kind,
    # distinct absolute differences: no ties, no zeros
    untied = sample(1:(20 * n + 20), n) * sample(c(-1, 1), n, replace = TRUE, prob = c(0.4, 0.6)),
    # a clear shift: far tails
    shifted = sample(1:(20 * n + 20), n) * sample(c(-1, 1), n, replace = TRUE, prob = c(0.05, 0.95)),
    # all positive, ties allowed: the far tail (p down to 2^-60)
    positive = sample(1:(2 * n + 2), n, replace = TRUE),
    # coarse grid: many ties, some zeros
    ties = round(rnorm(n, mean = 0.8, sd = 2.5)),
    # coarse grid without zeros
    ties_nozero = {
      v <- round(rnorm(n, mean = 1, sd = 3))
      v[v == 0] <- sample(c(-1, 1), sum(v == 0), replace = TRUE)
      v
    },
    # very coarse: few distinct values, many zeros
    coarse = sample(-2:3, n, replace = TRUE),
    # many zeros (about 40 %)
    zeros = ifelse(runif(n) < 0.4, 0, round(rnorm(n, mean = 2, sd = 4)))
  )
  if (all(d == 0)) d[1] <- 1
  list(x = y + d, y = y)
}

kinds <- c("untied", "shifted", "ties", "ties_nozero", "coarse", "zeros", "positive")
ns <- 1:60
rows <- list()
sid <- 0
for (n in ns) {
  for (kind in kinds) {
    if (n == 1 && kind != "untied") next
    sid <- sid + 1
    s <- make_sample(n, kind)
    x <- s$x; y <- s$y
    for (alt in c("two.sided", "less", "greater")) {
      add <- function(zm, method, correct, statistic, p, source) {
        rows[[length(rows) + 1]] <<- data.frame(
          sample_id = sid, kind = kind, n_pairs = n,
          x = paste(x, collapse = ";"), y = paste(y, collapse = ";"),
          zero_method = zm, alternative = sub("two.sided", "two-sided", alt),
          method = method, correction = correct,
          statistic = sprintf("%.17g", statistic), pvalue = sprintf("%.17g", p),
          source = source, stringsAsFactors = FALSE)
      }
      d <- x - y
      if (any(d != 0)) {
        # exact, zeros dropped
        we <- wilcox.exact(x, y, paired = TRUE, alternative = alt, exact = TRUE)
        cw <- wilcoxsign_test(x ~ y, distribution = "exact", zero.method = "Wilcoxon",
                              alternative = alt)
        if (abs(pvalue(cw) - we$p.value) > 1e-12 * max(we$p.value, 1e-300) ||
            abs(statistic(cw, type = "linear")[1] - we$statistic) > 1e-9) {
          stop(sprintf("coin and exactRankTests disagree for sample %d (%s)", sid, alt))
        }
        add("wilcox", "exact", FALSE, we$statistic, we$p.value, "exactRankTests::wilcox.exact")
        # asymptotic, zeros dropped, with and without continuity correction
        for (cc in c(FALSE, TRUE)) {
          wt <- suppressWarnings(wilcox.test(x, y, paired = TRUE, alternative = alt,
                                             exact = FALSE, correct = cc))
          add("wilcox", "asymptotic", cc, wt$statistic, wt$p.value, "stats::wilcox.test")
        }
      }
      # Pratt: exact conditional and asymptotic (coin)
      cp <- wilcoxsign_test(x ~ y, distribution = "exact", zero.method = "Pratt", alternative = alt)
      add("pratt", "exact", FALSE, statistic(cp, type = "linear")[1], pvalue(cp),
          "coin::wilcoxsign_test")
      # coin's pvalue() takes the upper normal tail as 1 - pnorm(z), which loses about 1e-10
      # relative precision out in the tail; the p-value is therefore taken from coin's
      # standardized statistic with pnorm on the appropriate tail.
      ca <- wilcoxsign_test(x ~ y, distribution = "asymptotic", zero.method = "Pratt",
                            alternative = alt)
      z <- statistic(ca, type = "standardized")[1]
      pz <- switch(alt, two.sided = 2 * pnorm(-abs(z)), less = pnorm(z),
                   greater = pnorm(z, lower.tail = FALSE))
      if (abs(pz - pvalue(ca)) > 1e-9) stop(sprintf("coin p-value check failed, sample %d", sid))
      add("pratt", "asymptotic", FALSE, statistic(ca, type = "linear")[1], pz,
          "coin::wilcoxsign_test standardized statistic + pnorm")
    }
  }
}
out <- do.call(rbind, rows)
write.csv(out, "signed_rank_reference.csv", row.names = FALSE, quote = TRUE)
cat(sprintf("%d samples, %d rows written (R %s, coin %s, exactRankTests %s)\n", sid, nrow(out),
            getRversion(), packageVersion("coin"), packageVersion("exactRankTests")))
