/** Tests of the Reed-Solomon codec, its kernels and the stripe streaming layer. */
package io.predastore.node.erasure;
