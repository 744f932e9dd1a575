// array_sort.h — the partial sort behind arrayPartialSort / arrayTopK / arrayBottomK.
//
// ClickHouse partially sorts with Floyd and Rivest's SELECT (1975) followed by a sort of the
// selected prefix. The elements after the prefix are "unspecified", but users see them, so
// basalt runs the same selection steps (same pivots, same swaps) and leaves them in the same order.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace basalt {

// Rearranges [begin + left, begin + right] so that begin[k] holds the element a full sort would put
// there, smaller ones before it and larger ones after it. `less` orders the values of the range.
template <typename T, typename Less>
void floydRivestSelect(T* begin, ptrdiff_t left, ptrdiff_t right, ptrdiff_t k, const Less& less) {
    while (right > left) {
        if (right - left > 600) {
            // Narrow the range around k by selecting within a sample first.
            ptrdiff_t n = right - left + 1;
            ptrdiff_t i = k - left + 1;
            double z = std::log(double(n));
            double s = 0.5 * std::exp(2 * z / 3);
            double sd = 0.5 * std::sqrt(z * s * double(n - s) / double(n));
            if (i < n / 2) sd = -sd;
            ptrdiff_t sample_left = std::max(left, ptrdiff_t(double(k) - double(i) * s / double(n) + sd));
            ptrdiff_t sample_right = std::min(right, ptrdiff_t(double(k) + double(n - i) * s / double(n) + sd));
            floydRivestSelect(begin, sample_left, sample_right, k, less);
        }
        // Partition around the value at k (moved to one end of the range, then scanned from both).
        std::swap(begin[left], begin[k]);
        bool pivot_first = less(begin[left], begin[right]);
        if (pivot_first) std::swap(begin[left], begin[right]);
        T pivot = pivot_first ? begin[right] : begin[left];
        ptrdiff_t i = left, j = right;
        while (i < j) {
            std::swap(begin[i], begin[j]);
            ++i;
            --j;
            while (less(begin[i], pivot)) ++i;
            while (less(pivot, begin[j])) --j;
        }
        if (pivot_first) {
            std::swap(begin[left], begin[j]);
        } else {
            ++j;
            std::swap(begin[right], begin[j]);
        }
        if (j <= k) left = j + 1;
        if (k <= j) right = j - 1;
    }
}

// [begin, mid) becomes the smallest mid - begin elements of [begin, end) in order.
template <typename T, typename Less>
void partialSortIndexes(T* begin, T* mid, T* end, const Less& less) {
    if (begin == end || begin == mid) return;
    floydRivestSelect(begin, 0, ptrdiff_t(end - begin - 1), ptrdiff_t(mid - begin - 1), less);
    std::sort(begin, mid, less);
}

}  // namespace basalt
