/** Which node the bucket browser talks to, when it moves to another, and which of its clients is current. */
package io.predastore.app.session;
