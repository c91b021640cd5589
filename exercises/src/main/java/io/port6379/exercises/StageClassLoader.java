// Loads a stage's compiled classes in front of the reference, the way the stage's class path does at run time.
package io.port6379.exercises;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * A child-first class loader for one stage: the classes compiled from the skeleton (and their nested classes)
 * come from the stage's directory, everything else from {@code parent}, where the reference lives. Used to
 * compare a skeleton's API with the reference class of the same name.
 */
final class StageClassLoader extends URLClassLoader {

    StageClassLoader(Path stageClasses, ClassLoader parent) {
        super(new URL[] {url(stageClasses)}, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null && findResource(name.replace('.', '/') + ".class") != null) {
                loaded = findClass(name);
            }
            if (loaded == null) {
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private static URL url(Path directory) {
        try {
            return directory.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
