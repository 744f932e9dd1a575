// pod_array.h — PODArray<T>: a growable array of trivially copyable values with uninitialized
// resize and memory accounting. Column storage uses it instead of std::vector because resizing a
// vector zero-fills (a measurable cost when kernels overwrite every element anyway) and because
// every byte must be charged to the query's MemoryTracker.
#pragma once
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <type_traits>

#include "common/memory_tracker.h"

namespace basalt {

template <typename T>
class PODArray {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    PODArray() = default;
    explicit PODArray(size_t n) { resize(n); }
    PODArray(size_t n, const T& v) { resize_fill(n, v); }
    PODArray(std::initializer_list<T> il) { reserve(il.size()); for (auto& v : il) push_back(v); }
    PODArray(const PODArray& o) { assign(o.begin(), o.end()); }
    PODArray(PODArray&& o) noexcept : data_(o.data_), size_(o.size_), cap_(o.cap_) { o.data_ = nullptr; o.size_ = o.cap_ = 0; }
    PODArray& operator=(const PODArray& o) { if (this != &o) assign(o.begin(), o.end()); return *this; }
    PODArray& operator=(PODArray&& o) noexcept {
        if (this != &o) { release(); data_ = o.data_; size_ = o.size_; cap_ = o.cap_; o.data_ = nullptr; o.size_ = o.cap_ = 0; }
        return *this;
    }
    ~PODArray() { release(); }

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    size_t capacity() const { return cap_; }
    T* data() { return data_; }
    const T* data() const { return data_; }
    T* begin() { return data_; }
    T* end() { return data_ + size_; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }
    T& operator[](size_t i) { return data_[i]; }
    const T& operator[](size_t i) const { return data_[i]; }
    T& back() { return data_[size_ - 1]; }
    const T& back() const { return data_[size_ - 1]; }
    size_t allocatedBytes() const { return cap_ * sizeof(T); }

    void reserve(size_t n) {
        if (n <= cap_) return;
        data_ = static_cast<T*>(trackedRealloc(data_, cap_ * sizeof(T), n * sizeof(T)));
        cap_ = n;
    }
    void resize(size_t n) {  // new elements are uninitialized
        if (n > cap_) reserve(grow(n));
        size_ = n;
    }
    void resize_fill(size_t n, const T& v) {
        size_t old = size_;
        resize(n);
        for (size_t i = old; i < n; ++i) data_[i] = v;
    }
    void push_back(const T& v) {
        if (size_ == cap_) reserve(grow(size_ + 1));
        data_[size_++] = v;
    }
    void pop_back() { --size_; }
    template <typename It>
    void insert(It first, It last) {
        size_t n = size_t(last - first);
        if (size_ + n > cap_) reserve(grow(size_ + n));
        std::memcpy(static_cast<void*>(data_ + size_), &*first, n * sizeof(T));
        size_ += n;
    }
    void append(const T* p, size_t n) {
        if (n == 0) return;
        if (size_ + n > cap_) reserve(grow(size_ + n));
        std::memcpy(static_cast<void*>(data_ + size_), p, n * sizeof(T));
        size_ += n;
    }
    void assign(const T* first, const T* last) { size_ = 0; if (first != last) append(first, size_t(last - first)); }
    void clear() { size_ = 0; }
    void swap(PODArray& o) noexcept { std::swap(data_, o.data_); std::swap(size_, o.size_); std::swap(cap_, o.cap_); }

private:
    size_t grow(size_t need) const {
        size_t c = cap_ ? cap_ * 2 : (64 / sizeof(T) + 1);
        return c < need ? need : c;
    }
    void release() { if (data_) trackedFree(data_, cap_ * sizeof(T)); data_ = nullptr; size_ = cap_ = 0; }

    T* data_ = nullptr;
    size_t size_ = 0;
    size_t cap_ = 0;
};

}  // namespace basalt
