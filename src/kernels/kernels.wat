;; Float64 kernels in WebAssembly SIMD (f64x2) for the solvers' hot loops.
;; Built by scripts/build-wasm.mjs into src/kernels/kernels-wasm.ts (the bytes, base64).
;;
;; Why WebAssembly: V8 does not vectorize JavaScript loops. Measured on the project machine
;; (d = 30, m = 288, n = 900, best of 7 runs of 300 calls): y = R x took 0.17 ms in the best
;; JavaScript loop (4 rows at a time) and 0.043 ms here; x = Rᵀ y 0.17 ms and 0.042 ms
;; (NumPy/OpenBLAS: 0.03 ms each).
;;
;; Conventions: every pointer is a byte offset into the imported memory, 8-byte aligned;
;; every length counts float64 elements; matrices are row-major and dense (row stride = cols).
;; Nothing is checked here: src/kernels/index.ts sizes the memory and validates.
(module
  (import "env" "memory" (memory 1))

  ;; Σ_t a[t] b[t] for t < n: two vector accumulators (hide the add latency), scalar tail.
  (func $dot (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $s0 v128) (local $s1 v128) (local $k i32) (local $end4 i32) (local $end i32) (local $s f64)
    (local.set $end4 (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $b4 (loop $l4
      (br_if $b4 (i32.ge_u (local.get $k) (local.get $end4)))
      (local.set $s0 (f64x2.add (local.get $s0)
        (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $k))) (v128.load (i32.add (local.get $b) (local.get $k))))))
      (local.set $s1 (f64x2.add (local.get $s1)
        (f64x2.mul (v128.load offset=16 (i32.add (local.get $a) (local.get $k))) (v128.load offset=16 (i32.add (local.get $b) (local.get $k))))))
      (local.set $k (i32.add (local.get $k) (i32.const 32)))
      (br $l4)))
    (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (block $b1 (loop $l1
      (br_if $b1 (i32.ge_u (local.get $k) (local.get $end)))
      (local.set $s (f64.add (local.get $s)
        (f64.mul (f64.load (i32.add (local.get $a) (local.get $k))) (f64.load (i32.add (local.get $b) (local.get $k))))))
      (local.set $k (i32.add (local.get $k) (i32.const 8)))
      (br $l1)))
    (local.get $s))

  ;; y[t] += alpha x[t] for t < n.
  (func $axpy (export "axpy") (param $alpha f64) (param $x i32) (param $y i32) (param $n i32)
    (local $av v128) (local $k i32) (local $end2 i32) (local $end i32) (local $p i32)
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $end2 (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $b2 (loop $l2
      (br_if $b2 (i32.ge_u (local.get $k) (local.get $end2)))
      (local.set $p (i32.add (local.get $y) (local.get $k)))
      (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p))
        (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $k))))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $l2)))
    (if (i32.lt_u (local.get $k) (local.get $end))
      (then
        (local.set $p (i32.add (local.get $y) (local.get $k)))
        (f64.store (local.get $p) (f64.add (f64.load (local.get $p))
          (f64.mul (local.get $alpha) (f64.load (i32.add (local.get $x) (local.get $k)))))))))

  ;; out[i] = Σ_t R[i, t] x[t] for i < m (R is m×n). Four rows at a time share each load of x.
  (func $gemv (export "gemv") (param $R i32) (param $m i32) (param $n i32) (param $x i32) (param $out i32)
    (local $i i32) (local $k i32) (local $rs i32) (local $end2 i32) (local $end i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $o i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $xv v128)
    (local $t0 f64) (local $t1 f64) (local $t2 f64) (local $t3 f64) (local $xs f64)
    (local.set $rs (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end2 (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $end (local.get $rs))
    (block $rows4 (loop $lrows4
      (br_if $rows4 (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (local.set $r0 (i32.add (local.get $R) (i32.mul (local.get $i) (local.get $rs))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $rs)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $rs)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $rs)))
      (local.set $s0 (v128.const f64x2 0 0)) (local.set $s1 (v128.const f64x2 0 0))
      (local.set $s2 (v128.const f64x2 0 0)) (local.set $s3 (v128.const f64x2 0 0))
      (local.set $k (i32.const 0))
      (block $cols (loop $lcols
        (br_if $cols (i32.ge_u (local.get $k) (local.get $end2)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $k))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load (i32.add (local.get $r0) (local.get $k))) (local.get $xv))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load (i32.add (local.get $r1) (local.get $k))) (local.get $xv))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (v128.load (i32.add (local.get $r2) (local.get $k))) (local.get $xv))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (v128.load (i32.add (local.get $r3) (local.get $k))) (local.get $xv))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $lcols)))
      (local.set $t0 (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
      (local.set $t1 (f64.add (f64x2.extract_lane 0 (local.get $s1)) (f64x2.extract_lane 1 (local.get $s1))))
      (local.set $t2 (f64.add (f64x2.extract_lane 0 (local.get $s2)) (f64x2.extract_lane 1 (local.get $s2))))
      (local.set $t3 (f64.add (f64x2.extract_lane 0 (local.get $s3)) (f64x2.extract_lane 1 (local.get $s3))))
      (if (i32.lt_u (local.get $k) (local.get $end))
        (then
          (local.set $xs (f64.load (i32.add (local.get $x) (local.get $k))))
          (local.set $t0 (f64.add (local.get $t0) (f64.mul (f64.load (i32.add (local.get $r0) (local.get $k))) (local.get $xs))))
          (local.set $t1 (f64.add (local.get $t1) (f64.mul (f64.load (i32.add (local.get $r1) (local.get $k))) (local.get $xs))))
          (local.set $t2 (f64.add (local.get $t2) (f64.mul (f64.load (i32.add (local.get $r2) (local.get $k))) (local.get $xs))))
          (local.set $t3 (f64.add (local.get $t3) (f64.mul (f64.load (i32.add (local.get $r3) (local.get $k))) (local.get $xs))))))
      (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))))
      (f64.store (local.get $o) (local.get $t0))
      (f64.store offset=8 (local.get $o) (local.get $t1))
      (f64.store offset=16 (local.get $o) (local.get $t2))
      (f64.store offset=24 (local.get $o) (local.get $t3))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $lrows4)))
    (block $rows1 (loop $lrows1
      (br_if $rows1 (i32.ge_s (local.get $i) (local.get $m)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
        (call $dot (i32.add (local.get $R) (i32.mul (local.get $i) (local.get $rs))) (local.get $x) (local.get $n)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $lrows1))))

  ;; out[t] = Σ_i y[i] R[i, t] for t < n (R is m×n; out is overwritten). Four rows per pass over out.
  (func $gemvT (export "gemvT") (param $R i32) (param $m i32) (param $n i32) (param $y i32) (param $out i32)
    (local $i i32) (local $k i32) (local $rs i32) (local $end2 i32) (local $end i32) (local $p i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local.set $rs (i32.shl (local.get $n) (i32.const 3)))
    (local.set $end2 (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $end (local.get $rs))
    (memory.fill (local.get $out) (i32.const 0) (local.get $rs))
    (block $rows4 (loop $lrows4
      (br_if $rows4 (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (local.set $r0 (i32.add (local.get $R) (i32.mul (local.get $i) (local.get $rs))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $rs)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $rs)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $rs)))
      (local.set $p (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $y0 (v128.load64_splat (local.get $p)))
      (local.set $y1 (v128.load64_splat offset=8 (local.get $p)))
      (local.set $y2 (v128.load64_splat offset=16 (local.get $p)))
      (local.set $y3 (v128.load64_splat offset=24 (local.get $p)))
      (local.set $k (i32.const 0))
      (block $cols (loop $lcols
        (br_if $cols (i32.ge_u (local.get $k) (local.get $end2)))
        (local.set $p (i32.add (local.get $out) (local.get $k)))
        (v128.store (local.get $p)
          (f64x2.add (v128.load (local.get $p))
            (f64x2.add
              (f64x2.add (f64x2.mul (local.get $y0) (v128.load (i32.add (local.get $r0) (local.get $k))))
                         (f64x2.mul (local.get $y1) (v128.load (i32.add (local.get $r1) (local.get $k)))))
              (f64x2.add (f64x2.mul (local.get $y2) (v128.load (i32.add (local.get $r2) (local.get $k))))
                         (f64x2.mul (local.get $y3) (v128.load (i32.add (local.get $r3) (local.get $k))))))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $lcols)))
      (if (i32.lt_u (local.get $k) (local.get $end))
        (then
          (local.set $p (i32.add (local.get $out) (local.get $k)))
          (f64.store (local.get $p)
            (f64.add (f64.load (local.get $p))
              (f64.add
                (f64.add (f64.mul (f64x2.extract_lane 0 (local.get $y0)) (f64.load (i32.add (local.get $r0) (local.get $k))))
                         (f64.mul (f64x2.extract_lane 0 (local.get $y1)) (f64.load (i32.add (local.get $r1) (local.get $k)))))
                (f64.add (f64.mul (f64x2.extract_lane 0 (local.get $y2)) (f64.load (i32.add (local.get $r2) (local.get $k))))
                         (f64.mul (f64x2.extract_lane 0 (local.get $y3)) (f64.load (i32.add (local.get $r3) (local.get $k))))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $lrows4)))
    (block $rows1 (loop $lrows1
      (br_if $rows1 (i32.ge_s (local.get $i) (local.get $m)))
      (call $axpy (f64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))
        (i32.add (local.get $R) (i32.mul (local.get $i) (local.get $rs))) (local.get $out) (local.get $n))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $lrows1))))

;; C = A B for A p×q, B q×r, C p×r (C overwritten; no aliasing). Blocks of 4 rows × 4 columns
  ;; of C in 8 vector accumulators: per step of the inner index, 2 loads of B and 4 broadcasts of A
  ;; for 8 multiply-adds, and no horizontal sums, which suits short inner dimensions (q = d ≈ 30);
  ;; leftover columns one by one, leftover rows as sums of rows of B.
  (func $gemmNN (export "gemmNN") (param $A i32) (param $B i32) (param $C i32) (param $p i32) (param $q i32) (param $r i32)
    (local $i i32) (local $c i32) (local $cb i32) (local $k i32) (local $qs i32) (local $rs i32) (local $r4 i32) (local $bp i32) (local $t f64) (local $s i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $a v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $qs (i32.shl (local.get $q) (i32.const 3)))
    (local.set $rs (i32.shl (local.get $r) (i32.const 3)))
    (local.set $r4 (i32.and (local.get $r) (i32.const -4)))
    (block $bi (loop $li
      (br_if $bi (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $p)))
      (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $qs))))
      (local.set $a1 (i32.add (local.get $a0) (local.get $qs)))
      (local.set $a2 (i32.add (local.get $a1) (local.get $qs)))
      (local.set $a3 (i32.add (local.get $a2) (local.get $qs)))
      (local.set $o0 (i32.add (local.get $C) (i32.mul (local.get $i) (local.get $rs))))
      (local.set $o1 (i32.add (local.get $o0) (local.get $rs)))
      (local.set $o2 (i32.add (local.get $o1) (local.get $rs)))
      (local.set $o3 (i32.add (local.get $o2) (local.get $rs)))
      (local.set $c (i32.const 0))
      (block $bc (loop $lc
        (br_if $bc (i32.ge_s (local.get $c) (local.get $r4)))
        (local.set $cb (i32.shl (local.get $c) (i32.const 3)))
        (local.set $c00 (v128.const f64x2 0 0))
            (local.set $c01 (v128.const f64x2 0 0))
            (local.set $c10 (v128.const f64x2 0 0))
            (local.set $c11 (v128.const f64x2 0 0))
            (local.set $c20 (v128.const f64x2 0 0))
            (local.set $c21 (v128.const f64x2 0 0))
            (local.set $c30 (v128.const f64x2 0 0))
            (local.set $c31 (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (local.set $bp (i32.add (local.get $B) (local.get $cb)))
        (block $bk (loop $lk
          (br_if $bk (i32.ge_u (local.get $k) (local.get $qs)))
          (local.set $b0 (v128.load (local.get $bp)))
              (local.set $b1 (v128.load offset=16 (local.get $bp)))
              (local.set $a (v128.load64_splat (i32.add (local.get $a0) (local.get $k))))
              (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
              (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load64_splat (i32.add (local.get $a1) (local.get $k))))
              (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
              (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load64_splat (i32.add (local.get $a2) (local.get $k))))
              (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
              (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
              (local.set $a (v128.load64_splat (i32.add (local.get $a3) (local.get $k))))
              (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
              (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $bp (i32.add (local.get $bp) (local.get $rs)))
          (local.set $k (i32.add (local.get $k) (i32.const 8)))
          (br $lk)))
        (v128.store (i32.add (local.get $o0) (local.get $cb)) (local.get $c00))
            (v128.store offset=16 (i32.add (local.get $o0) (local.get $cb)) (local.get $c01))
            (v128.store (i32.add (local.get $o1) (local.get $cb)) (local.get $c10))
            (v128.store offset=16 (i32.add (local.get $o1) (local.get $cb)) (local.get $c11))
            (v128.store (i32.add (local.get $o2) (local.get $cb)) (local.get $c20))
            (v128.store offset=16 (i32.add (local.get $o2) (local.get $cb)) (local.get $c21))
            (v128.store (i32.add (local.get $o3) (local.get $cb)) (local.get $c30))
            (v128.store offset=16 (i32.add (local.get $o3) (local.get $cb)) (local.get $c31))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $lc)))
      ;; leftover columns c ≥ r4 of these 4 rows
      (local.set $s (i32.const 0))
      (block $bs (loop $ls
        (br_if $bs (i32.ge_s (local.get $s) (i32.const 4)))
        (local.set $c (local.get $r4))
        (block $bc1 (loop $lc1
          (br_if $bc1 (i32.ge_s (local.get $c) (local.get $r)))
          (local.set $t (f64.const 0))
          (local.set $k (i32.const 0))
          (block $bk1 (loop $lk1
            (br_if $bk1 (i32.ge_s (local.get $k) (local.get $q)))
            (local.set $t (f64.add (local.get $t)
              (f64.mul (f64.load (i32.add (local.get $a0) (i32.add (i32.mul (local.get $s) (local.get $qs)) (i32.shl (local.get $k) (i32.const 3)))))
                       (f64.load (i32.add (local.get $B) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $r)) (local.get $c)) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $lk1)))
          (f64.store (i32.add (local.get $o0) (i32.add (i32.mul (local.get $s) (local.get $rs)) (i32.shl (local.get $c) (i32.const 3)))) (local.get $t))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $lc1)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $ls)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $li)))
    ;; leftover rows: C_i = Σ_k A[i, k] B_k
    (block $bi1 (loop $li1
      (br_if $bi1 (i32.ge_s (local.get $i) (local.get $p)))
      (local.set $o0 (i32.add (local.get $C) (i32.mul (local.get $i) (local.get $rs))))
      (memory.fill (local.get $o0) (i32.const 0) (local.get $rs))
      (local.set $k (i32.const 0))
      (block $bk2 (loop $lk2
        (br_if $bk2 (i32.ge_s (local.get $k) (local.get $q)))
        (call $axpy (f64.load (i32.add (local.get $A) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $q)) (local.get $k)) (i32.const 3))))
          (i32.add (local.get $B) (i32.mul (local.get $k) (local.get $rs))) (local.get $o0) (local.get $r))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $lk2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $li1))))

  ;; C = A Bᵀ (p×r) for A p×q and B r×q, rows ld apart in both: C[i, j] = Σ_k A[i, k] B[j, k]. With lower = 1 only
  ;; the entries j ≤ i are guaranteed (a few above the diagonal are written too). Blocks of 4×2
  ;; entries share their row loads (8 multiply-adds per 6 vector loads); the leftover rows and
  ;; columns take one dot product per entry. Measured for R Rᵀ at m = 290, n = 900: 5.4 ms as one
  ;; 4-row gemv per row, 3.8 ms here (NumPy/OpenBLAS 1.6 ms).
  (func $gemmNT (export "gemmNT") (param $A i32) (param $B i32) (param $C i32) (param $p i32) (param $q i32) (param $r i32) (param $lower i32) (param $ld i32)
    (local $i i32) (local $j i32) (local $k i32) (local $qs i32) (local $end2 i32) (local $end i32) (local $t f64) (local $jmax i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 i32) (local $b1 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $y0 v128) (local $y1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128) (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local.set $qs (i32.shl (local.get $ld) (i32.const 3)))
    (local.set $end2 (i32.shl (i32.and (local.get $q) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $q) (i32.const 3)))
    (block $bi (loop $li
      (br_if $bi (i32.ge_s (local.get $i) (local.get $p)))
      ;; columns j < jmax: pairs in the 4×2 kernel (full row blocks only), the rest one by one
      (local.set $jmax (select (i32.add (local.get $i) (i32.const 4)) (local.get $r) (local.get $lower)))
      (if (i32.gt_s (local.get $jmax) (local.get $r)) (then (local.set $jmax (local.get $r))))
      (local.set $j (i32.const 0))
      (if (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $p)) (then
        (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $qs))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $qs)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $qs)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $qs)))
        (block $bj (loop $lj
          (br_if $bj (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $jmax)))
          (local.set $b0 (i32.add (local.get $B) (i32.mul (local.get $j) (local.get $qs))))
          (local.set $b1 (i32.add (local.get $b0) (local.get $qs)))
          (local.set $s00 (v128.const f64x2 0 0))
          (local.set $s01 (v128.const f64x2 0 0))
          (local.set $s10 (v128.const f64x2 0 0))
          (local.set $s11 (v128.const f64x2 0 0))
          (local.set $s20 (v128.const f64x2 0 0))
          (local.set $s21 (v128.const f64x2 0 0))
          (local.set $s30 (v128.const f64x2 0 0))
          (local.set $s31 (v128.const f64x2 0 0))
          (local.set $k (i32.const 0))
          (block $bk (loop $lk
            (br_if $bk (i32.ge_u (local.get $k) (local.get $end2)))
            (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $k))))
            (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $k))))
            (local.set $x2 (v128.load (i32.add (local.get $a2) (local.get $k))))
            (local.set $x3 (v128.load (i32.add (local.get $a3) (local.get $k))))
            (local.set $y0 (v128.load (i32.add (local.get $b0) (local.get $k))))
            (local.set $y1 (v128.load (i32.add (local.get $b1) (local.get $k))))
            (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $y0))))
            (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $y1))))
            (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $y0))))
            (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $y1))))
            (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $x2) (local.get $y0))))
            (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $x2) (local.get $y1))))
            (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $x3) (local.get $y0))))
            (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $x3) (local.get $y1))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $lk)))
          (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s00)) (f64x2.extract_lane 1 (local.get $s00))))
          (if (i32.lt_u (local.get $k) (local.get $end)) (then (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (i32.add (local.get $a0) (local.get $k))) (f64.load (i32.add (local.get $b0) (local.get $k))))))))
          (f64.store (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 0)) (local.get $r)) (i32.add (local.get $j) (i32.const 0))) (i32.const 3))) (local.get $t))
          (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s01)) (f64x2.extract_lane 1 (local.get $s01))))
          (if (i32.lt_u (local.get $k) (local.get $end)) (then (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (i32.add (local.get $a0) (local.get $k))) (f64.load (i32.add (local.get $b1) (local.get $k))))))))
          (f64.store (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 0)) (local.get $r)) (i32.add (local.get $j) (i32.const 1))) (i32.const 3))) (local.get $t))
          (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s10)) (f64x2.extract_lane 1 (local.get $s10))))
          (if (i32.lt_u (local.get $k) (local.get $end)) (then (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (i32.add (local.get $a1) (local.get $k))) (f64.load (i32.add (local.get $b0) (local.get $k))))))))
          (f64.store (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $r)) (i32.add (local.get $j) (i32.const 0))) (i32.const 3))) (local.get $t))
          (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s11)) (f64x2.extract_lane 1 (local.get $s11))))
          (if (i32.lt_u (local.get $k) (local.get $end)) (then (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (i32.add (local.get $a1) (local.get $k))) (f64.load (i32.add (local.get $b1) (local.get $k))))))))
          (f64.store (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $r)) (i32.add (local.get $j) (i32.const 1))) (i32.const 3))) (local.get $t))
          (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s20)) (f64x2.extract_lane 1 (local.get $s20))))
          (if (i32.lt_u (local.get $k) (local.get $end)) (then (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (i32.add (local.get $a2) (local.get $k))) (f64.load (i32.add (local.get $b0) (local.get $k))))))))
          (f64.store (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 2)) (local.get $r)) (i32.add (local.get $j) (i32.const 0))) (i32.const 3))) (local.get $t))
          (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s21)) (f64x2.extract_lane 1 (local.get $s21))))
          (if (i32.lt_u (local.get $k) (local.get $end)) (then (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (i32.add (local.get $a2) (local.get $k))) (f64.load (i32.add (local.get $b1) (local.get $k))))))))
          (f64.store (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 2)) (local.get $r)) (i32.add (local.get $j) (i32.const 1))) (i32.const 3))) (local.get $t))
          (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s30)) (f64x2.extract_lane 1 (local.get $s30))))
          (if (i32.lt_u (local.get $k) (local.get $end)) (then (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (i32.add (local.get $a3) (local.get $k))) (f64.load (i32.add (local.get $b0) (local.get $k))))))))
          (f64.store (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 3)) (local.get $r)) (i32.add (local.get $j) (i32.const 0))) (i32.const 3))) (local.get $t))
          (local.set $t (f64.add (f64x2.extract_lane 0 (local.get $s31)) (f64x2.extract_lane 1 (local.get $s31))))
          (if (i32.lt_u (local.get $k) (local.get $end)) (then (local.set $t (f64.add (local.get $t) (f64.mul (f64.load (i32.add (local.get $a3) (local.get $k))) (f64.load (i32.add (local.get $b1) (local.get $k))))))))
          (f64.store (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const 3)) (local.get $r)) (i32.add (local.get $j) (i32.const 1))) (i32.const 3))) (local.get $t))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $lj)))))
      (call $dotBlock (local.get $A) (local.get $B) (local.get $C) (local.get $i) (select (i32.add (local.get $i) (i32.const 4)) (local.get $p) (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $p)))
        (local.get $j) (local.get $jmax) (local.get $q) (local.get $r) (local.get $lower) (local.get $ld))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $li))))

  ;; The entries of C = A Bᵀ left over by gemmNT: rows i0 ≤ i < i1 from column j0 (to jmax for full
  ;; blocks, i.e. i1 = i0 + 4), one dot product each; rows of a partial block take all their columns.
  (func $dotBlock (param $A i32) (param $B i32) (param $C i32) (param $i0 i32) (param $i1 i32) (param $j0 i32) (param $jmax i32) (param $q i32) (param $r i32) (param $lower i32) (param $ld i32)
    (local $i i32) (local $j i32) (local $jend i32) (local $qs i32)
    (local.set $qs (i32.shl (local.get $ld) (i32.const 3)))
    (local.set $i (local.get $i0))
    (block $bi (loop $li
      (br_if $bi (i32.ge_s (local.get $i) (local.get $i1)))
      (local.set $jend (local.get $jmax))
      (if (i32.and (local.get $lower) (i32.gt_s (local.get $jend) (i32.add (local.get $i) (i32.const 1))))
        (then (local.set $jend (i32.add (local.get $i) (i32.const 1)))))
      (local.set $j (local.get $j0))
      (block $bj (loop $lj
        (br_if $bj (i32.ge_s (local.get $j) (local.get $jend)))
        (f64.store (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $r)) (local.get $j)) (i32.const 3)))
          (call $dot (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $qs))) (i32.add (local.get $B) (i32.mul (local.get $j) (local.get $qs))) (local.get $q)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $lj)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $li))))

  ;; out = R Rᵀ (m×m, both triangles) for R m×n.
  (func (export "syrk") (param $R i32) (param $m i32) (param $n i32) (param $out i32)
    (call $gemmNT (local.get $R) (local.get $R) (local.get $out) (local.get $m) (local.get $n) (local.get $m) (i32.const 1) (local.get $n))
    (call $mirrorLower (local.get $out) (local.get $m)))

  ;; a[j, i] = a[i, j] for j < i (a is m×m).
  (func $mirrorLower (param $a i32) (param $m i32)
    (local $i i32) (local $j i32)
    (block $bi (loop $li
      (br_if $bi (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $j (i32.const 0))
      (block $bj (loop $lj
        (br_if $bj (i32.ge_s (local.get $j) (local.get $i)))
        (f64.store (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $m)) (local.get $i)) (i32.const 3)))
          (f64.load (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $m)) (local.get $j)) (i32.const 3)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $lj)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $li))))

  ;; out += Rᵀ R (n×n) for R m×n: a rank-one update per row of R.
  (func (export "syrkTAdd") (param $R i32) (param $m i32) (param $n i32) (param $out i32)
    (local $i i32) (local $a i32) (local $row i32) (local $rs i32)
    (local.set $rs (i32.shl (local.get $n) (i32.const 3)))
    (block $bi (loop $li
      (br_if $bi (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $row (i32.add (local.get $R) (i32.mul (local.get $i) (local.get $rs))))
      (local.set $a (i32.const 0))
      (block $ba (loop $la
        (br_if $ba (i32.ge_s (local.get $a) (local.get $n)))
        (call $axpy (f64.load (i32.add (local.get $row) (i32.shl (local.get $a) (i32.const 3))))
          (local.get $row) (i32.add (local.get $out) (i32.mul (local.get $a) (local.get $rs))) (local.get $n))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $la)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $li))))

  ;; Cholesky–Banachiewicz in place, row by row: the lower triangle of A (m×m) becomes L with
  ;; L Lᵀ = A and the strict upper triangle is zeroed (row i reads only A[i, 0..i] and rows of L
  ;; above it). Returns -1, or the first row whose pivot is not positive (A is then partly overwritten).
  (func (export "cholesky") (param $A i32) (param $m i32) (result i32)
    (local $i i32) (local $j i32) (local $ms i32) (local $li i32) (local $lj i32) (local $p i32) (local $v f64)
    (local.set $ms (i32.shl (local.get $m) (i32.const 3)))
    (block $bi (loop $lpi
      (br_if $bi (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $li (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $ms))))
      (local.set $j (i32.const 0))
      (block $bj (loop $lpj
        (br_if $bj (i32.ge_s (local.get $j) (local.get $i)))
        (local.set $lj (i32.add (local.get $A) (i32.mul (local.get $j) (local.get $ms))))
        (local.set $p (i32.add (local.get $li) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store (local.get $p)
          (f64.div (f64.sub (f64.load (local.get $p)) (call $dot (local.get $li) (local.get $lj) (local.get $j)))
                   (f64.load (i32.add (local.get $lj) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $lpj)))
      (local.set $p (i32.add (local.get $li) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $v (f64.sub (f64.load (local.get $p)) (call $dot (local.get $li) (local.get $li) (local.get $i))))
      ;; not (v > 0) also catches NaN
      (if (i32.eqz (f64.gt (local.get $v) (f64.const 0))) (then (return (local.get $i))))
      (f64.store (local.get $p) (f64.sqrt (local.get $v)))
      (memory.fill (i32.add (local.get $p) (i32.const 8)) (i32.const 0)
        (i32.shl (i32.sub (i32.sub (local.get $m) (local.get $i)) (i32.const 1)) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $lpi)))
    (i32.const -1))

;; z[t] = (z[t] + a x[t]) + b y[t] for t < n: two axpy calls in one pass over z, the same
  ;; roundings in the same order (tridiagonalize's rank-2 row update; at n = 100 the two calls per
  ;; short row were most of the reduction's time).
  (func $axpy2 (param $a f64) (param $x i32) (param $b f64) (param $y i32) (param $z i32) (param $n i32)
    (local $av v128) (local $bv v128) (local $k i32) (local $end2 i32) (local $end i32) (local $p i32)
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $bv (f64x2.splat (local.get $b)))
    (local.set $end2 (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $b2 (loop $l2
      (br_if $b2 (i32.ge_u (local.get $k) (local.get $end2)))
      (local.set $p (i32.add (local.get $z) (local.get $k)))
      (v128.store (local.get $p)
        (f64x2.add
          (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $k)))))
          (f64x2.mul (local.get $bv) (v128.load (i32.add (local.get $y) (local.get $k))))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $l2)))
    (if (i32.lt_u (local.get $k) (local.get $end))
      (then
        (local.set $p (i32.add (local.get $z) (local.get $k)))
        (f64.store (local.get $p)
          (f64.add
            (f64.add (f64.load (local.get $p)) (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $k)))))
            (f64.mul (local.get $b) (f64.load (i32.add (local.get $y) (local.get $k)))))))))

  ;; Returns dot(r, d, n) and does axpy(f, r, e, n) in one pass over r, with the roundings of
  ;; those two kernels exactly (the same accumulators and order): tridiagonalize's e = V d.
  (func $dotAxpy (param $r i32) (param $d i32) (param $f f64) (param $e i32) (param $n i32) (result f64)
    (local $s0 v128) (local $s1 v128) (local $fv v128) (local $rv v128) (local $k i32) (local $end4 i32) (local $end i32) (local $s f64) (local $p i32)
    (local.set $fv (f64x2.splat (local.get $f)))
    (local.set $end4 (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $b4 (loop $l4
      (br_if $b4 (i32.ge_u (local.get $k) (local.get $end4)))
      (local.set $rv (v128.load (i32.add (local.get $r) (local.get $k))))
      (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $rv) (v128.load (i32.add (local.get $d) (local.get $k))))))
      (local.set $p (i32.add (local.get $e) (local.get $k)))
      (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (f64x2.mul (local.get $fv) (local.get $rv))))
      (local.set $rv (v128.load offset=16 (i32.add (local.get $r) (local.get $k))))
      (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $rv) (v128.load offset=16 (i32.add (local.get $d) (local.get $k))))))
      (v128.store offset=16 (local.get $p) (f64x2.add (v128.load offset=16 (local.get $p)) (f64x2.mul (local.get $fv) (local.get $rv))))
      (local.set $k (i32.add (local.get $k) (i32.const 32)))
      (br $l4)))
    (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0))))
    (block $b1 (loop $l1
      (br_if $b1 (i32.ge_u (local.get $k) (local.get $end)))
      (local.set $s (f64.add (local.get $s)
        (f64.mul (f64.load (i32.add (local.get $r) (local.get $k))) (f64.load (i32.add (local.get $d) (local.get $k))))))
      (local.set $p (i32.add (local.get $e) (local.get $k)))
      (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.mul (local.get $f) (f64.load (i32.add (local.get $r) (local.get $k))))))
      (local.set $k (i32.add (local.get $k) (i32.const 8)))
      (br $l1)))
    (local.get $s))

  ;; Householder reduction of a symmetric n×n V (lower triangle) to tridiagonal form, without
  ;; accumulating Q: the EISPACK tred2 reduction of src/linalg/eigh.ts step for step (see there),
  ;; its row loops as the dot and axpy kernels. On exit d has the diagonal of T on V's diagonal
  ;; (read by the caller), e[1..n-1] the subdiagonal, h[s] the reflector norms, V the reflectors.
  (func (export "tridiagonalize") (param $V i32) (param $n i32) (param $d i32) (param $e i32) (param $h i32)
    (local $i i32) (local $j i32) (local $k i32) (local $ns i32) (local $rowj i32) (local $p i32)
    (local $scale f64) (local $hv f64) (local $f f64) (local $g f64) (local $hh f64)
    (local.set $ns (i32.shl (local.get $n) (i32.const 3)))
    ;; d = row n-1
    (memory.copy (local.get $d) (i32.add (local.get $V) (i32.mul (i32.sub (local.get $n) (i32.const 1)) (local.get $ns))) (local.get $ns))
    (local.set $i (i32.sub (local.get $n) (i32.const 1)))
    (block $bi (loop $li
      (br_if $bi (i32.lt_s (local.get $i) (i32.const 1)))
      (local.set $scale (f64.const 0))
      (local.set $hv (f64.const 0))
      (local.set $k (i32.const 0))
      (block $b1 (loop $l1
        (br_if $b1 (i32.ge_s (local.get $k) (local.get $i)))
        (local.set $scale (f64.add (local.get $scale) (f64.abs (f64.load (i32.add (local.get $d) (i32.shl (local.get $k) (i32.const 3)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l1)))
      (if (f64.eq (local.get $scale) (f64.const 0))
        (then
          (f64.store (i32.add (local.get $e) (i32.shl (local.get $i) (i32.const 3)))
            (f64.load (i32.add (local.get $d) (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 3)))))
          (local.set $j (i32.const 0))
          (block $b2 (loop $l2
            (br_if $b2 (i32.ge_s (local.get $j) (local.get $i)))
            (f64.store (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3)))
              (f64.load (i32.add (local.get $V) (i32.add (i32.mul (i32.sub (local.get $i) (i32.const 1)) (local.get $ns)) (i32.shl (local.get $j) (i32.const 3))))))
            (f64.store (i32.add (local.get $V) (i32.add (i32.mul (local.get $i) (local.get $ns)) (i32.shl (local.get $j) (i32.const 3)))) (f64.const 0))
            (f64.store (i32.add (local.get $V) (i32.add (i32.mul (local.get $j) (local.get $ns)) (i32.shl (local.get $i) (i32.const 3)))) (f64.const 0))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $l2))))
        (else
          ;; d[k] /= scale; h = Σ d[k]²
          (local.set $k (i32.const 0))
          (block $b3 (loop $l3
            (br_if $b3 (i32.ge_s (local.get $k) (local.get $i)))
            (local.set $p (i32.add (local.get $d) (i32.shl (local.get $k) (i32.const 3))))
            (f64.store (local.get $p) (f64.div (f64.load (local.get $p)) (local.get $scale)))
            (local.set $hv (f64.add (local.get $hv) (f64.mul (f64.load (local.get $p)) (f64.load (local.get $p)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l3)))
          (local.set $p (i32.add (local.get $d) (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 3))))
          (local.set $f (f64.load (local.get $p)))
          (local.set $g (f64.sqrt (local.get $hv)))
          (if (f64.gt (local.get $f) (f64.const 0)) (then (local.set $g (f64.neg (local.get $g)))))
          (f64.store (i32.add (local.get $e) (i32.shl (local.get $i) (i32.const 3))) (f64.mul (local.get $scale) (local.get $g)))
          (local.set $hv (f64.sub (local.get $hv) (f64.mul (local.get $f) (local.get $g))))
          (f64.store (local.get $p) (f64.sub (local.get $f) (local.get $g)))
          (memory.fill (local.get $e) (i32.const 0) (i32.shl (local.get $i) (i32.const 3)))
          ;; e = (lower triangle of V) d, row by row; column i of V keeps the reflector
          (local.set $j (i32.const 0))
          (block $b4 (loop $l4
            (br_if $b4 (i32.ge_s (local.get $j) (local.get $i)))
            (local.set $rowj (i32.add (local.get $V) (i32.mul (local.get $j) (local.get $ns))))
            (local.set $f (f64.load (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3)))))
            (f64.store (i32.add (local.get $rowj) (i32.shl (local.get $i) (i32.const 3))) (local.get $f))
            (local.set $p (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p))
              (f64.add (f64.mul (f64.load (i32.add (local.get $rowj) (i32.shl (local.get $j) (i32.const 3)))) (local.get $f))
                       (call $dotAxpy (local.get $rowj) (local.get $d) (local.get $f) (local.get $e) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $l4)))
          ;; e /= h; f = eᵀd; e -= (f / 2h) d
          (local.set $f (f64.const 0))
          (local.set $j (i32.const 0))
          (block $b5 (loop $l5
            (br_if $b5 (i32.ge_s (local.get $j) (local.get $i)))
            (local.set $p (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 3))))
            (f64.store (local.get $p) (f64.div (f64.load (local.get $p)) (local.get $hv)))
            (local.set $f (f64.add (local.get $f) (f64.mul (f64.load (local.get $p)) (f64.load (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $l5)))
          (local.set $hh (f64.div (local.get $f) (f64.add (local.get $hv) (local.get $hv))))
          (call $axpy (f64.neg (local.get $hh)) (local.get $d) (local.get $e) (local.get $i))
          ;; rank-2 update of the lower triangle, row k: V[k][0..k] -= d[k] e + e[k] d
          (local.set $k (i32.const 0))
          (block $b6 (loop $l6
            (br_if $b6 (i32.ge_s (local.get $k) (local.get $i)))
            (local.set $rowj (i32.add (local.get $V) (i32.mul (local.get $k) (local.get $ns))))
            (call $axpy2 (f64.neg (f64.load (i32.add (local.get $d) (i32.shl (local.get $k) (i32.const 3))))) (local.get $e)
              (f64.neg (f64.load (i32.add (local.get $e) (i32.shl (local.get $k) (i32.const 3))))) (local.get $d) (local.get $rowj) (i32.add (local.get $k) (i32.const 1)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l6)))
          ;; d = row i-1; row i zeroed
          (memory.copy (local.get $d) (i32.add (local.get $V) (i32.mul (i32.sub (local.get $i) (i32.const 1)) (local.get $ns))) (i32.shl (local.get $i) (i32.const 3)))
          (memory.fill (i32.add (local.get $V) (i32.mul (local.get $i) (local.get $ns))) (i32.const 0) (i32.shl (local.get $i) (i32.const 3)))))
      (f64.store (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3))) (local.get $hv))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $li)))
    (memory.copy (local.get $h) (local.get $d) (local.get $ns)))

  ;; x ← L⁻¹ x (forward substitution; L m×m lower triangular, row-major).
  (func (export "solveLower") (param $L i32) (param $m i32) (param $x i32)
    (local $i i32) (local $li i32) (local $xi i32) (local $ms i32)
    (local.set $ms (i32.shl (local.get $m) (i32.const 3)))
    (block $b (loop $l
      (br_if $b (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $li (i32.add (local.get $L) (i32.mul (local.get $i) (local.get $ms))))
      (local.set $xi (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
      (f64.store (local.get $xi)
        (f64.div (f64.sub (f64.load (local.get $xi)) (call $dot (local.get $li) (local.get $x) (local.get $i)))
                 (f64.load (i32.add (local.get $li) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))

  ;; x ← L⁻ᵀ x (back substitution with the transpose, by columns of Lᵀ = rows of L).
  (func (export "solveLowerT") (param $L i32) (param $m i32) (param $x i32)
    (local $i i32) (local $li i32) (local $xi i32) (local $ms i32) (local $v f64)
    (local.set $ms (i32.shl (local.get $m) (i32.const 3)))
    (local.set $i (i32.sub (local.get $m) (i32.const 1)))
    (block $b (loop $l
      (br_if $b (i32.lt_s (local.get $i) (i32.const 0)))
      (local.set $li (i32.add (local.get $L) (i32.mul (local.get $i) (local.get $ms))))
      (local.set $xi (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $v (f64.div (f64.load (local.get $xi)) (f64.load (i32.add (local.get $li) (i32.shl (local.get $i) (i32.const 3))))))
      (f64.store (local.get $xi) (local.get $v))
      (call $axpy (f64.neg (local.get $v)) (local.get $li) (local.get $x) (local.get $i))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l))))

  ;; Back-transformation of tridiagonalize: each row y of Y (count×n) becomes Q y = P_1(P_2(⋯ P_{n−1} y))
  ;; with the reflectors P_s = I − u_s u_sᵀ/h[s] that tridiagonalize left in V (u_s: column s of V,
  ;; rows j < s; h[s] = 0 means no reflection), applied in the order s = 1, …, n − 1 as the
  ;; JavaScript loop it replaces did (eigh.ts selectedEigenpairs). u is scratch of n values.
  (func (export "reflectRows") (param $V i32) (param $n i32) (param $h i32) (param $Y i32) (param $count i32) (param $u i32)
    (local $s i32) (local $j i32) (local $t i32) (local $ns i32) (local $row i32) (local $hs f64)
    (local.set $ns (i32.shl (local.get $n) (i32.const 3)))
    (local.set $s (i32.const 1))
    (block $bs (loop $ls
      (br_if $bs (i32.ge_s (local.get $s) (local.get $n)))
      (local.set $hs (f64.load (i32.add (local.get $h) (i32.shl (local.get $s) (i32.const 3)))))
      (if (f64.ne (local.get $hs) (f64.const 0)) (then
        (local.set $j (i32.const 0))
        (block $bj (loop $lj
          (br_if $bj (i32.ge_s (local.get $j) (local.get $s)))
          (f64.store (i32.add (local.get $u) (i32.shl (local.get $j) (i32.const 3)))
            (f64.load (i32.add (local.get $V) (i32.add (i32.mul (local.get $j) (local.get $ns)) (i32.shl (local.get $s) (i32.const 3))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $lj)))
        (local.set $t (i32.const 0))
        (block $bt (loop $lt
          (br_if $bt (i32.ge_s (local.get $t) (local.get $count)))
          (local.set $row (i32.add (local.get $Y) (i32.mul (local.get $t) (local.get $ns))))
          (call $axpy
            (f64.neg (f64.div (call $dot (local.get $u) (local.get $row) (local.get $s)) (local.get $hs)))
            (local.get $u) (local.get $row) (local.get $s))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $lt)))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $ls))))
)
