#pragma once

// Points of Ed25519's curve -x^2 + y^2 = 1 + d x^2 y^2, in the coordinates of Hisil, Wong,
// Carter and Dawson ("Twisted Edwards Curves Revisited") that Ed25519's reference
// implementation uses; their addition is unified (it also doubles). The formulas are
// written once, for any field type with +, -, * and squared(): Field25519 for one point,
// eight lanes of it for eight at once (x25519_base_ifma.cpp, which includes this header
// after its AVX-512 target is set, so that its instances are compiled for it).
namespace tlshop::tls::edwards25519 {

template <class Field>
struct ExtendedPoint {  // x = X/Z, y = Y/Z, x y = T/Z
  Field x, y, z, t;
};

template <class Field>
struct ProjectivePoint {  // x = X/Z, y = Y/Z
  Field x, y, z;
};

template <class Field>
struct CompletedPoint {  // x = X/Z, y = Y/T
  Field x, y, z, t;
};

template <class Field>
ExtendedPoint<Field> to_extended(const CompletedPoint<Field>& p) {
  return {p.x * p.t, p.y * p.z, p.z * p.t, p.x * p.y};
}

template <class Field>
ProjectivePoint<Field> to_projective(const CompletedPoint<Field>& p) {
  return {p.x * p.t, p.y * p.z, p.z * p.t};
}

template <class Field>
CompletedPoint<Field> doubled(const ProjectivePoint<Field>& p) {
  const Field xx = p.x.squared(), yy = p.y.squared(), zz = p.z.squared();
  const Field sum_squared = (p.x + p.y).squared();
  const Field y = yy + xx, z = yy - xx;
  return {sum_squared - y, y, z, (zz + zz) - z};
}

// p plus an affine point ready to add: q holds y + x, y - x and 2 d x y.
template <class Field, class Affine>
CompletedPoint<Field> sum(const ExtendedPoint<Field>& p, const Affine& q) {
  const Field a = (p.y + p.x) * q.y_plus_x, b = (p.y - p.x) * q.y_minus_x;
  const Field c = q.xy_2d * p.t, d = p.z + p.z;
  return {a - b, a + b, d + c, d - c};
}

// start plus the sum of a scalar's 64 signed radix-16 digits times 16^i B, where
// entry(i) is digit i's multiple of its table row's point (Ed25519's reference method:
// the odd digits' sum times 16, plus the even digits' sum).
template <class Field, class Entry>
ExtendedPoint<Field> plus_radix16_multiple(ExtendedPoint<Field> point, Entry entry) {
  for (int i = 1; i < 64; i += 2) point = to_extended(sum(point, entry(i)));
  ProjectivePoint<Field> partial{point.x, point.y, point.z};
  for (int doubling = 0; doubling < 3; ++doubling) partial = to_projective(doubled(partial));
  point = to_extended(doubled(partial));
  for (int i = 0; i < 64; i += 2) point = to_extended(sum(point, entry(i)));
  return point;
}

}  // namespace tlshop::tls::edwards25519
