// Package dedup decides whether two posts are the same, by canonical URL and by a hash of their visible text.
package dedup
