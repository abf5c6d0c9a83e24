/** How the app writes quantities for people (byte sizes and rates), the same on every screen. */
package io.predastore.app.format;
