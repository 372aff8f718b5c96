// Package gen generates a tenant's user population for the Partner API mock: a realistic,
// deterministic set of users with their per-product accounts.
//
// # Determinism
//
// Generate is a pure function of its Params and of Version. The same Params give byte-identical
// users on every run, machine, architecture and GOMAXPROCS setting:
//
//   - There is no wall clock: created_at lies in a window that ends at Params.AsOf.
//   - Users are generated in fixed chunks of 4096. Each chunk has its own gofakeit Faker over a
//     PCG source seeded from a hash of (Seed, chunk index), so chunks
//     can run in parallel and the result does not depend on scheduling.
//   - Only integer arithmetic touches the output. Floating point (math.Exp and math.Log in
//     particular, which have assembly and FMA variants) could round differently on another
//     CPU; bounded draws use Lemire's method over 64-bit words rather than helpers whose
//     algorithm depends on the platform's int size.
//   - Map iteration never reaches the output: Reserved ids are sorted before use.
//
// Any change to what a given Params produces must bump Version.
//
// # Id templates
//
// Params.IDFormat is a template for user_account_id. It is literal text around at most one
// number element:
//
//   - {n} is the user's sequence number, 1, 2, 3, ... Sequence numbers are handed out in
//     created_at order, as a core banking system would: the oldest generated user gets the
//     first free number. Ties in created_at are broken by generation order.
//   - {n:0Wd} is the same number zero-padded to at least W digits (1 <= W <= 20); like printf's
//     %0Wd it grows past W digits rather than failing.
//   - A run of # characters (at most 18) is exactly that many digits of a number that looks
//     random but is unique: position i maps to a keyed bijection of [0, 10^k), an affine map
//     i -> (a*i+b) mod 10^k with gcd(a, 10) = 1 followed by a four-round decimal Feistel
//     network, both keyed by Seed. The Feistel rounds are there because an affine map alone
//     leaves only three distinct gaps between sorted ids, a pattern anyone sorting by id sees.
//   - {{ and }} are a literal { and }. Any other use of { or } is an error. A literal # cannot
//     be written.
//
// Examples: "member-{n:06d}" (the default) gives member-000001, member-000002, ...;
// "CIF{n:09d}" gives CIF000000001; "9###-####" is not allowed (two runs), "CIF-#######" gives
// ids such as CIF-4071936. A template without a number element holds a single id.
//
// Ids never equal a Params.Reserved id (the tenant's pinned users): a candidate id that is
// reserved is skipped and the next one is used, so the other users' ids do not depend on which
// ids are reserved beyond that skip. Validate fails when the template cannot hold Users ids
// besides the reserved ones it could produce.
//
// # Distributions
//
// The figures the population aims at are named, documented values in dist.go: the sign-up
// recency mix, the product model (sign-up product and cross-sell rates, which give crypto 70%,
// securities 40%, robo 25% and roth_ira 15% of users), the KYC status weights (about 75%
// approved, 10% pending, 8% not_started, 7% rejected), approval delays (minutes to weeks) and
// log-normal market values per product. The tests check a 200,000-user population against
// them.
package gen
