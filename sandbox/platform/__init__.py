"""The province's integrated online platform (省一体化政务服务平台) in the sandbox: 免申即享, smart answers, townships."""
