// cardiograd/ndarray: conversion between the `ndarray` package (an optional peer dependency)
// and plain { data, shape } arrays. Kept off the other entries: ndarray compiles code with
// `new Function`, which a strict Content-Security-Policy forbids.

export { toNdarray, fromNdarray, type PlainArray } from './io/ndarray-interop.ts';
