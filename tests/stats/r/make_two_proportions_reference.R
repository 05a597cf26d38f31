# Reference values for the between-arm comparisons of two proportions (axspa.stats.risk_difference,
# risk_ratio, odds_ratio).
#
# Run from this folder:  Rscript make_two_proportions_reference.R
# Writes two_proportions_reference.csv beside this script (one row per table, arm 1 = x1/n1).
#
# Sources (alpha = 1 - level, z = qnorm(1 - alpha / 2), d = x1/n1 - x2/n2):
#   newcombe:  Newcombe (1998) method 10, from the Wilson limits of stats::prop.test(x, n,
#              correct = FALSE, conf.level = level)$conf.int of each arm.
#   wald:      d -/+ z sqrt(p1 q1 / n1 + p2 q2 / n2), limits cut to [-1, 1].
#   agresti-caffo: the Wald interval after adding one success and one failure to each arm,
#              centred on the adjusted difference, limits cut to [-1, 1].
#   mee / miettinen-nurminen: the score interval {delta : (d - delta)^2 <= z^2 V(delta)} with
#              V(delta) = p1~ q1~ / n1 + p2~ q2~ / n2 (times N / (N - 1) for Miettinen-Nurminen).
#              The restricted estimates p1~, p2~ = p1~ - delta maximise the binomial likelihood:
#              found here by stats::uniroot on its derivative (a numerical route, independent of
#              the closed-form cubic solution that axspa uses); the limits by uniroot as well,
#              tolerance 1e-15.
#   risk ratio (Katz): exp(log(p1 / p2) -/+ z sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2)); NA with a zero count.
#   odds ratio (Woolf): exp(log(ad / bc) -/+ z sqrt(1/a + 1/b + 1/c + 1/d)); NA with a zero cell.
#   odds ratio (exact conditional): the conditional maximum-likelihood estimate and the exact
#              conditional interval of stats::fisher.test(table, conf.level = level), recomputed with
#              fisher.test's own definitions (dnhyper, mnhyper, pnhyper, copied below) but with every
#              root found on the log scale to 1e-13: fisher.test itself calls uniroot with its default
#              tolerance (about 1e-4), so its printed limits agree with the exact ones to about 4 digits
#              only (0.2 per cent off at 7/34 vs 1/34). The script prints the largest relative gap.
f17 <- function(v) sprintf("%.17g", v)
tol <- 1e-15

restricted_p1 <- function(x1, n1, x2, n2, delta) {
  lo <- max(0, delta); hi <- min(1, 1 + delta)
  if (hi <= lo) return(lo)
  term <- function(k, p) if (k == 0) 0 else k / p
  dl <- function(p1) {
    p2 <- p1 - delta
    term(x1, p1) - term(n1 - x1, 1 - p1) + term(x2, p2) - term(n2 - x2, 1 - p2)
  }
  flo <- dl(lo); fhi <- dl(hi)
  if (!is.na(flo) && flo <= 0) return(lo)
  if (!is.na(fhi) && fhi >= 0) return(hi)
  # the log-likelihood is concave in p1: its derivative falls from +Inf to -Inf on (lo, hi)
  w <- hi - lo
  uniroot(dl, c(lo + w * 1e-14, hi - w * 1e-14), tol = tol, maxiter = 10000)$root
}
score_v <- function(x1, n1, x2, n2, delta, factor) {
  p1 <- restricted_p1(x1, n1, x2, n2, delta); p2 <- p1 - delta
  (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * factor
}
score_ci <- function(x1, n1, x2, n2, z, factor) {
  d <- x1 / n1 - x2 / n2
  g <- function(delta) (d - delta)^2 - z^2 * score_v(x1, n1, x2, n2, delta, factor)
  lower <- if (d <= -1) -1 else uniroot(g, c(-1, d - 1e-10), tol = tol, maxiter = 10000)$root
  upper <- if (d >= 1) 1 else uniroot(g, c(d + 1e-10, 1), tol = tol, maxiter = 10000)$root
  c(lower, upper)
}
exact_or <- function(a, b, c, d, level) {
  m <- a + c; n <- b + d; k <- a + b; x <- a
  lo <- max(0, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dnhyper <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
  mnhyper <- function(ncp) sum(support * dnhyper(ncp))
  pnhyper <- function(q, ncp, upper.tail = FALSE) sum(dnhyper(ncp)[if (upper.tail) support >= q else support <= q])
  root <- function(f) exp(uniroot(function(s) f(exp(s)), c(-5, 5), extendInt = "yes", tol = 1e-13,
                                  maxiter = 10000)$root)
  alpha <- (1 - level) / 2
  est <- if (x == lo) 0 else if (x == hi) Inf else root(function(t) mnhyper(t) - x)
  low <- if (x == lo) 0 else root(function(t) pnhyper(x, t, upper.tail = TRUE) - alpha)
  high <- if (x == hi) Inf else root(function(t) pnhyper(x, t) - alpha)
  c(est, low, high)
}
wald <- function(p1, n1, p2, n2, z) {
  d <- p1 - p2; h <- z * sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
  c(max(-1, d - h), min(1, d + h))
}

set.seed(19980417)
sizes <- c(1, 2, 3, 5, 8, 10, 15, 20, 34, 40, 60, 100)
tables <- list(c(7, 34, 1, 34), c(21, 39, 11, 36), c(0, 10, 0, 10), c(10, 10, 10, 10), c(0, 10, 10, 10),
               c(10, 10, 0, 10), c(0, 20, 3, 15), c(15, 15, 12, 20), c(1, 1, 0, 1), c(0, 1, 1, 1))
while (length(tables) < 260) {
  n1 <- sample(sizes, 1); n2 <- sample(sizes, 1)
  x1 <- sample(0:n1, 1); x2 <- sample(0:n2, 1)
  if (runif(1) < 0.15) x1 <- sample(c(0, n1), 1)   # more zero cells and all-responder arms
  if (runif(1) < 0.15) x2 <- sample(c(0, n2), 1)
  tables[[length(tables) + 1]] <- c(x1, n1, x2, n2)
}
rows <- list()
fisher_gap <- 0
for (t in tables) {
  x1 <- t[1]; n1 <- t[2]; x2 <- t[3]; n2 <- t[4]
  level <- if (length(rows) < 10) 0.95 else sample(c(0.9, 0.95, 0.95, 0.99), 1)
  alpha <- 1 - level; z <- qnorm(1 - alpha / 2)
  p1 <- x1 / n1; p2 <- x2 / n2; d <- p1 - p2
  w1 <- suppressWarnings(prop.test(x1, n1, correct = FALSE, conf.level = level))$conf.int
  w2 <- suppressWarnings(prop.test(x2, n2, correct = FALSE, conf.level = level))$conf.int
  nc <- c(d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
  wa <- wald(p1, n1, p2, n2, z)
  ac <- wald((x1 + 1) / (n1 + 2), n1 + 2, (x2 + 1) / (n2 + 2), n2 + 2, z)
  mee <- score_ci(x1, n1, x2, n2, z, 1)
  mn <- score_ci(x1, n1, x2, n2, z, (n1 + n2) / (n1 + n2 - 1))
  rr <- if (x1 > 0 && x2 > 0) exp(log(p1 / p2) + c(0, -1, 1) * z * sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2))
        else c(NA, NA, NA)
  a <- x1; b <- n1 - x1; c <- x2; dd <- n2 - x2
  or <- if (min(a, b, c, dd) > 0) exp(log(a * dd / (b * c)) + c(0, -1, 1) * z * sqrt(1 / a + 1 / b + 1 / c + 1 / dd))
        else c(NA, NA, NA)
  ft <- fisher.test(matrix(c(a, c, b, dd), 2), conf.level = level)
  ex <- exact_or(a, b, c, dd, level)
  fin <- is.finite(ex) & ex > 0
  fisher_gap <- max(fisher_gap, abs(c(ft$estimate, ft$conf.int)[fin] / ex[fin] - 1))
  rows[[length(rows) + 1]] <- data.frame(x1 = x1, n1 = n1, x2 = x2, n2 = n2, confidence_level = level,
    difference = f17(d),
    newcombe_low = f17(nc[1]), newcombe_high = f17(nc[2]), wald_low = f17(wa[1]), wald_high = f17(wa[2]),
    agresti_caffo_low = f17(ac[1]), agresti_caffo_high = f17(ac[2]),
    mee_low = f17(mee[1]), mee_high = f17(mee[2]),
    miettinen_nurminen_low = f17(mn[1]), miettinen_nurminen_high = f17(mn[2]),
    katz_estimate = f17(rr[1]), katz_low = f17(rr[2]), katz_high = f17(rr[3]),
    woolf_estimate = f17(or[1]), woolf_low = f17(or[2]), woolf_high = f17(or[3]),
    exact_estimate = f17(ex[1]), exact_low = f17(ex[2]), exact_high = f17(ex[3]),
    stringsAsFactors = FALSE)
}
out <- do.call(rbind, rows)
write.csv(out, "two_proportions_reference.csv", row.names = FALSE, quote = TRUE)
cat("wrote", nrow(out), "tables; largest relative gap fisher.test vs exact odds ratio:", fisher_gap, "\n")
