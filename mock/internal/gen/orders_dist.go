package gen

import "github.com/cryptofi/partner-mock/mock/internal/domain"

// This file holds the figures generated orders aim at. Like dist.go, probabilities are in basis
// points and money in cents, so every draw is integer arithmetic.

// DefaultOrdersPerUser is the mean number of orders a user has placed by AsOf when a tenant does
// not say, in hundredths: 3.00.
const DefaultOrdersPerUser = 300

// symbol is one instrument a product trades, with its weight among the product's and a
// reference price in cents (prices vary by up to 5% either way from order to order).
type symbol struct {
	name   string
	weight uint64
	price  int64
}

// settleBand is a range of settlement delays in seconds, [min, max), with its weight.
type settleBand struct {
	min, max int64
	weight   uint64
}

// productOrders is how one product's accounts trade.
type productOrders struct {
	// activity scales one-off trading on this product, in basis points of the average account.
	activity uint64
	// series is the chance, in basis points, that an approved account runs a recurring buy.
	series uint64
	// median is the median one-off notional, in cents; notionals are log-normal around it.
	median int64
	// feeBP is the fee in basis points of the notional, rounded half up to the cent.
	feeBP   int64
	symbols []symbol
	settle  []settleBand
}

// knownProductOrders holds the products the spec is known to have. Crypto trades most, in
// small amounts, for a 1.49% fee, and settles in seconds; brokerage trades are commission-free
// and settle within the session or the next day; retirement and robo accounts trade funds, are
// mostly recurring deposits, and settle at the end of a business day.
var knownProductOrders = map[domain.Product]productOrders{
	"crypto": {activity: 15000, series: 200, median: 120 * 100, feeBP: 149,
		symbols: []symbol{{"BTC", 4000, 9_500_000}, {"ETH", 2500, 340_000}, {"SOL", 1000, 18_000}, {"USDC", 800, 100},
			{"DOGE", 500, 25}, {"ADA", 400, 70}, {"LINK", 400, 1_800}, {"AVAX", 400, 3_500}},
		settle: []settleBand{{2, 30, 7000}, {30, 5 * minute, 2500}, {5 * minute, hour, 500}}},
	"securities": {activity: 10000, series: 100, median: 450 * 100, feeBP: 0,
		symbols: []symbol{{"AAPL", 1500, 23_000}, {"MSFT", 1200, 42_000}, {"NVDA", 1500, 13_000}, {"AMZN", 1000, 19_000},
			{"GOOGL", 800, 17_000}, {"TSLA", 1000, 25_000}, {"META", 700, 58_000}, {"SPY", 900, 57_000},
			{"QQQ", 600, 49_000}, {"JPM", 400, 24_000}, {"KO", 400, 6_800}},
		settle: []settleBand{{30, 10 * minute, 6000}, {10 * minute, 6 * hour, 3000}, {16 * hour, 40 * hour, 1000}}},
	"roth_ira": {activity: 4000, series: 500, median: 500 * 100, feeBP: 0,
		symbols: []symbol{{"VTI", 3000, 28_000}, {"VOO", 2500, 52_000}, {"VXUS", 1500, 6_300}, {"BND", 1500, 7_300}, {"SCHD", 1500, 2_800}},
		settle:  []settleBand{{20 * hour, 30 * hour, 7000}, {30 * hour, 72 * hour, 3000}}},
	"robo": {activity: 3000, series: 800, median: 300 * 100, feeBP: 25,
		symbols: []symbol{{"VTI", 3500, 28_000}, {"VEA", 2000, 5_200}, {"VWO", 1500, 4_600}, {"BND", 2000, 7_300}, {"VTIP", 1000, 4_900}},
		settle:  []settleBand{{20 * hour, 30 * hour, 7000}, {30 * hour, 72 * hour, 3000}}},
}

// unknownProductOrders is how a product the spec lists but this package has no figures for
// trades: modestly, in generic funds.
var unknownProductOrders = productOrders{activity: 5000, series: 200, median: 250 * 100, feeBP: 50,
	symbols: []symbol{{"FUNDA", 5000, 10_000}, {"FUNDB", 5000, 5_000}},
	settle:  []settleBand{{minute, day, bp}}}

// Side and status weights of one-off orders; recurring orders are buys that complete or fail.
var (
	knownSides             = map[domain.OrderSide]uint64{"buy": 6500, "sell": 3500}
	knownOneOffStatuses    = map[domain.OrderStatus]uint64{"completed": 9200, "cancelled": 500, "failed": 300}
	knownRecurringStatuses = map[domain.OrderStatus]uint64{"completed": 9700, "failed": 300}
)

// Weights of values the spec adds that this package has no figures for: present, not crowding.
const (
	unknownSideWeight   = 500
	unknownStatusWeight = 150
)

// activityMix is the spread of trading between accounts, in basis points of the average: most
// accounts trade a little, a few trade a lot (the mean is about 1.1, and the scale below
// normalises it away).
var activityMix = []struct {
	multiplier, weight uint64
}{
	{2_000, 5000}, {8_000, 3000}, {25_000, 1500}, {80_000, 500},
}

// Recurring series: the interval (weekly or monthly), how long they run and how much they buy.
const (
	weeklyShare = 3000 // the rest are monthly
	// stopShare is the share of series that stop after minRuns to maxRuns buys; the others run
	// to the horizon. Together with the series chances above, recurring buys are about a fifth
	// of the orders a tenant has placed by AsOf, one-off orders the rest.
	stopShare       = 8500
	minRuns         = 3
	maxRuns         = 24
	seriesMaxDelay  = 28 * day // a series starts up to this long after the account's approval
	notionalSigmaMD = 450      // one-off notional sigma in thousandths of a decade
	minNotional     = 100      // $1.00
	maxNotional     = 250_000 * 100
)

// seriesAmounts are the fixed amounts recurring buys are set up for, in cents, with weights.
var seriesAmounts = []struct {
	cents  int64
	weight uint64
}{
	{25_00, 2000}, {50_00, 3000}, {100_00, 2500}, {200_00, 1200}, {250_00, 800}, {500_00, 500},
}
