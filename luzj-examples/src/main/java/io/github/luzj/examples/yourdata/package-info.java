/**
 * The programs of docs/your-data.md: a user's own data (CSV tables, folders of images, Java
 * arrays). The text between each {@code your-data.md} marker pair is shown in the doc as it is,
 * and the tests run every program.
 */
package io.github.luzj.examples.yourdata;
