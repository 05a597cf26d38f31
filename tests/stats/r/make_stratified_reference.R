# Reference values for stratified 2x2 tables (axspa.stats.cmh and axspa.stats.mh_risk_difference).
#
# Run from this folder:  Rscript make_stratified_reference.R
# Writes stratified_reference.csv beside this script: one row per set of strata, the counts of each
# stratum written as semicolon-separated lists x1, n1, x2, n2 (arm 1 responders and patients, arm 2).
#
# Sources:
#   CMH test, Mantel-Haenszel common odds ratio, Robins-Breslow-Greenland interval:
#       stats::mantelhaen.test(array(c(a, c, b, d), c(2, 2, K)), correct = FALSE / TRUE,
#                              alternative = ..., conf.level = level)
#       (statistic, p.value; estimate and conf.int from the two-sided call). Sets whose CMH variance is
#       zero (no stratum with responders and non-responders) have NA: R returns NaN there.
#   Mantel-Haenszel risk difference with the Sato variance:
#       metafor::rma.mh(ai = x1, n1i = n1, ci = x2, n2i = n2, measure = "RD", level = 100 * level)
#       (beta, se, ci.lb, ci.ub, zval, pval).
suppressMessages(library(metafor))
f17 <- function(v) sprintf("%.17g", v)
set.seed(1959)
sizes <- c(1, 2, 3, 4, 5, 8, 10, 15, 20, 30, 50)
rows <- list()
while (length(rows) < 230) {
  k <- sample(2:6, 1)
  n1 <- sample(sizes, k, replace = TRUE); n2 <- sample(sizes, k, replace = TRUE)
  p1 <- runif(1, 0.05, 0.95); p2 <- runif(1, 0.05, 0.95)
  x1 <- rbinom(k, n1, p1); x2 <- rbinom(k, n2, p2)
  u <- runif(1)
  if (u < 0.1) { x1 <- n1; x2 <- rbinom(k, n2, 0.9) }          # all responders in arm 1
  else if (u < 0.2) { x2 <- 0 * x2; x1 <- rbinom(k, n1, 0.2) }  # no responders in arm 2
  else if (u < 0.25) { x1 <- 0 * x1; x2 <- 0 * x2 }             # no responders at all
  level <- sample(c(0.9, 0.95, 0.95, 0.99), 1)
  a <- x1; b <- n1 - x1; c <- x2; d <- n2 - x2
  tab <- array(rbind(a, c, b, d), c(2, 2, k))
  res <- list(x1 = paste(x1, collapse = ";"), n1 = paste(n1, collapse = ";"),
              x2 = paste(x2, collapse = ";"), n2 = paste(n2, collapse = ";"), confidence_level = level)
  for (cc in c(FALSE, TRUE)) {
    for (alt in c("two.sided", "less", "greater")) {
      mt <- suppressWarnings(mantelhaen.test(tab, correct = cc, alternative = alt, conf.level = level))
      key <- paste0(if (cc) "cc_" else "", sub("two.sided", "two_sided", alt))
      res[[paste0("statistic_", key)]] <- f17(mt$statistic)
      res[[paste0("p_", key)]] <- f17(mt$p.value)
      if (alt == "two.sided" && !cc) {
        res$or_estimate <- f17(mt$estimate); res$or_low <- f17(mt$conf.int[1]); res$or_high <- f17(mt$conf.int[2])
      }
    }
  }
  mh <- rma.mh(ai = x1, n1i = n1, ci = x2, n2i = n2, measure = "RD", level = 100 * level)
  res$rd_estimate <- f17(mh$beta[1]); res$rd_se <- f17(mh$se); res$rd_low <- f17(mh$ci.lb)
  res$rd_high <- f17(mh$ci.ub); res$rd_z <- f17(mh$zval); res$rd_p <- f17(mh$pval)
  rows[[length(rows) + 1]] <- as.data.frame(res, stringsAsFactors = FALSE)
}
out <- do.call(rbind, rows)
write.csv(out, "stratified_reference.csv", row.names = FALSE, quote = TRUE)
cat("wrote", nrow(out), "sets of strata\n")
